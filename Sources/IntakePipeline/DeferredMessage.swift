import Foundation
import GRDB
import IntakeCore
import IntakeMail
@_spi(Pipeline) import IntakeStore

/// What the pipeline needs of a message that waits to be answered (the rest is in its inbound row).
struct DeferredMessage: Codable {
    var text: String
    var fullText: String?
    var subject: String?
    var replySubject: String?
    var threadTag: String?
    var references: [String]
    var language: String?
    var unreadMedia: Bool
    var displayName: String?
    /// A file's kind, length and why it was not kept ("too_large:BYTES", "not_allowed", "unavailable").
    var mediaKind: String?
    var mediaSeconds: Int?
    var mediaProblem: String?

    init(_ message: InboundMessage) {
        text = message.text
        fullText = message.fullText
        subject = message.subject
        replySubject = message.replySubject
        threadTag = message.threadTag
        references = message.references
        language = message.language
        unreadMedia = message.unreadMedia
        displayName = message.displayName
        mediaKind = message.media?.kind.rawValue
        mediaSeconds = message.media?.durationSeconds
        switch message.media?.problem {
        case .tooLarge(let limit)?: mediaProblem = "too_large:\(limit)"
        case .notAllowed?: mediaProblem = "not_allowed"
        case .unavailable?: mediaProblem = "unavailable"
        case nil: mediaProblem = nil
        }
    }

    /// The message again, as its channel first handed it over.
    func message(_ inbound: InboundRecord) -> InboundMessage {
        var message = InboundMessage(
            channel: inbound.channel, externalId: inbound.externalId, sender: inbound.sender, displayName: displayName, text: text,
            receivedAt: inbound.receivedAt, threadKey: inbound.threadKey, language: language, rawSize: inbound.rawSize)
        message.fullText = fullText
        message.subject = subject
        message.replySubject = replySubject
        message.threadTag = threadTag
        // Kept before the subject's threading was read by IntakeMail: read it now.
        if inbound.channel == .email, replySubject == nil, threadTag == nil, subject != nil { MailThread.annotate(&message) }
        message.references = references
        message.unreadMedia = unreadMedia
        if let kind = mediaKind.flatMap(InboundMedia.Kind.init(rawValue:)) {
            var media = InboundMedia(kind: kind, durationSeconds: mediaSeconds)
            if let problem = mediaProblem {
                let limit = problem.hasPrefix("too_large:") ? Int(problem.dropFirst("too_large:".count)) : nil
                media.problem = limit.map { .tooLarge(limit: $0) } ?? (problem == "not_allowed" ? .notAllowed : .unavailable)
            }
            message.media = media
        }
        return message
    }
}
