import Foundation
import GRDB

/// What the pipeline needs of a message that waits to be answered (the rest is in its inbound row).
struct DeferredMessage: Codable {
    var text: String
    var fullText: String?
    var subject: String?
    var references: [String]
    var language: String?
    var unreadMedia: Bool
    var displayName: String?

    init(_ message: InboundMessage) {
        text = message.text
        fullText = message.fullText
        subject = message.subject
        references = message.references
        language = message.language
        unreadMedia = message.unreadMedia
        displayName = message.displayName
    }

    /// The message again, as its channel first handed it over.
    func message(_ inbound: InboundRecord) -> InboundMessage {
        var message = InboundMessage(
            channel: inbound.channel, externalId: inbound.externalId, sender: inbound.sender, displayName: displayName, text: text,
            receivedAt: inbound.receivedAt, threadKey: inbound.threadKey, language: language, rawSize: inbound.rawSize)
        message.fullText = fullText
        message.subject = subject
        message.references = references
        message.unreadMedia = unreadMedia
        return message
    }
}

extension InboundRecord {
    /// Messages of a contact waiting to be answered (before `inboundId`, when given).
    static func deferredCount(contactId: Int64, before inboundId: Int64?, db: Database) throws -> Int {
        var request = InboundRecord.filter(Column("outcome") == "deferred" && Column("contact_id") == contactId)
        if let inboundId { request = request.filter(Column("id") < inboundId) }
        return try request.fetchCount(db)
    }
}

extension OutboxMessage {
    /// Rows not yet delivered nor given up.
    public static func backlog(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL") ?? 0
    }
}
