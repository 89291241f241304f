import Foundation
import GRDB
import IntakeCore
@_spi(Pipeline) import IntakeStore

/// Email threading in the store: which contact a reply belongs to (our Message-IDs it refers to, the tag
/// IntakeMail read from its subject), and the headers that keep our answers in the thread.
extension InboundProcessor {
    /// The contact of the conversation `message` answers: by our own Message-IDs it refers to, else by
    /// the reference tag in its subject ([GCR-PR-000042], [GCR-CV-000012]); nil to fall back to the sender.
    /// A tag or a reference is a hint, never an identity: it only ever leads to the sender's own contact,
    /// so a stranger quoting someone's tag starts a conversation of their own.
    func threadedContact(_ message: InboundMessage, db: Database) throws -> Contact? {
        guard let contact = try Contact.hinted(references: message.references, tag: message.threadTag, db: db), contact.channel == .email, contact.address.lowercased() == message.sender.lowercased()
        else { return nil }
        return contact
    }

    static func conversationTag(_ id: Int64) -> String {
        Submission.reference(prefix: "GCR-CV", number: Int(id))
    }

    /// Gives an email reply its Message-ID (kept as the row's external id, for threading), In-Reply-To,
    /// References and subject "Re: … [tag]" (the subject as MailThread read it, on one line).
    func decorateEmail(_ row: inout OutboxMessage, answering message: InboundMessage, tag: String, language: String) throws {
        let messageId = OutboxMessage.newMessageId(domain: policy.messageIdDomain)
        let original = message.replySubject ?? engine.catalog.pack(language).message(.mailSubject)
        row.subject = "Re: \(original) [\(tag)]"
        row.externalId = messageId
        var headers: [String: String] = ["Message-ID": messageId]
        let inReplyTo = message.externalId.hasPrefix("sha256:") ? nil : message.externalId
        if let inReplyTo { headers["In-Reply-To"] = inReplyTo }
        let references = MailReferences.capped(message.references + (inReplyTo.map { [$0] } ?? []))
        if !references.isEmpty { headers["References"] = references.joined(separator: " ") }
        row.headers = try headers.jsonColumn()
    }
}
