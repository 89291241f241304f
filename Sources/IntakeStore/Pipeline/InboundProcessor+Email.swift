import Foundation
import GRDB
import IntakeCore

/// Email threading in the store: which contact a reply belongs to (our Message-IDs it refers to, the tag
/// IntakeMail read from its subject), and the headers that keep our answers in the thread.
extension InboundProcessor {
    /// The contact of the conversation `message` answers: by our own Message-IDs it refers to, else by
    /// the reference tag in its subject ([GCR-PR-000042], [GCR-CV-000012]); nil to fall back to the sender.
    /// A tag or a reference is a hint, never an identity: it only ever leads to the sender's own contact,
    /// so a stranger quoting someone's tag starts a conversation of their own.
    func threadedContact(_ message: InboundMessage, db: Database) throws -> Contact? {
        guard let contact = try hintedContact(message, db: db), contact.channel == .email, contact.address.lowercased() == message.sender.lowercased()
        else { return nil }
        return contact
    }

    private func hintedContact(_ message: InboundMessage, db: Database) throws -> Contact? {
        if !message.references.isEmpty {
            let ids = try Int64.fetchAll(
                db, sql: "SELECT contact_id FROM outbox WHERE channel = 'email' AND external_id IN (\(message.references.map { _ in "?" }.joined(separator: ","))) AND contact_id IS NOT NULL ORDER BY id DESC LIMIT 1",
                arguments: StatementArguments(message.references))
            if let id = ids.first, let contact = try Contact.fetchOne(db, key: id) { return contact }
        }
        guard let tag = message.threadTag else { return nil }
        let contactId: Int64?
        if tag.hasPrefix("GCR-CV-"), let number = Int64(tag.dropFirst(7)) {
            contactId = try Int64.fetchOne(db, sql: "SELECT contact_id FROM conversation WHERE id = ?", arguments: [number])
        } else {
            contactId = try Int64.fetchOne(db, sql: "SELECT contact_id FROM submission WHERE reference = ?", arguments: [tag])
        }
        return try contactId.flatMap { try Contact.fetchOne(db, key: $0) }
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
