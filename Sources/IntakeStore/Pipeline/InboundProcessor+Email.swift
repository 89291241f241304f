import Foundation
import GRDB
import IntakeCore

/// Email threading: which contact a reply belongs to, and the headers that keep our answers in the thread.
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
        guard let tag = message.subject.flatMap(Self.referenceTag) else { return nil }
        let contactId: Int64?
        if tag.hasPrefix("GCR-CV-"), let number = Int64(tag.dropFirst(7)) {
            contactId = try Int64.fetchOne(db, sql: "SELECT contact_id FROM conversation WHERE id = ?", arguments: [number])
        } else {
            contactId = try Int64.fetchOne(db, sql: "SELECT contact_id FROM submission WHERE reference = ?", arguments: [tag])
        }
        return try contactId.flatMap { try Contact.fetchOne(db, key: $0) }
    }

    /// "[GCR-PR-000042]" in a subject → "GCR-PR-000042".
    static func referenceTag(in subject: String) -> String? {
        guard subject.contains("[GCR-"), let range = subject.range(of: #"\[GCR-[A-Z]{2}-[0-9]{6}\]"#, options: .regularExpression) else { return nil }
        return String(subject[range].dropFirst().dropLast())
    }

    static func conversationTag(_ id: Int64) -> String {
        Submission.reference(prefix: "GCR-CV", number: Int(id))
    }

    /// Gives an email reply its Message-ID (kept as the row's external id, for threading), In-Reply-To,
    /// References and subject "Re: … [tag]". Values from the contributor's mail lose their line breaks here.
    func decorateEmail(_ row: inout OutboxMessage, answering message: InboundMessage, tag: String, language: String) throws {
        let messageId = OutboxMessage.newMessageId(domain: policy.messageIdDomain)
        var original = (message.subject ?? "").components(separatedBy: .newlines).joined(separator: " ")
        // (The patterns are only tried when they can match: compiling them was a tenth of an email's processing.)
        if original.contains("[GCR-") {
            original = original.replacingOccurrences(of: #"\s*\[GCR-[A-Z]{2}-[0-9]{6}\]"#, with: "", options: .regularExpression)
        }
        while original.contains(":"), let prefix = original.range(of: #"^\s*(re|tr|fw|fwd|rv|aw)\s*:\s*"#, options: [.regularExpression, .caseInsensitive]) {
            original.removeSubrange(prefix)
        }
        original = original.trimmingCharacters(in: .whitespaces)
        if original.isEmpty { original = engine.catalog.pack(language).message(.mailSubject) }
        row.subject = "Re: \(original) [\(tag)]"
        row.externalId = messageId
        var headers: [String: String] = ["Message-ID": messageId]
        let inReplyTo = message.externalId.hasPrefix("sha256:") ? nil : message.externalId
        if let inReplyTo { headers["In-Reply-To"] = inReplyTo }
        let references = Self.cappedReferences(message.references + (inReplyTo.map { [$0] } ?? []))
        if !references.isEmpty { headers["References"] = references.joined(separator: " ") }
        row.headers = try headers.jsonColumn()
    }

    /// A References list kept short: the thread's first message (so clients still find its root) and the
    /// nine most recent, as RFC 5322 suggests trimming.
    static func cappedReferences(_ ids: [String]) -> [String] {
        ids.count <= 10 ? ids : [ids[0]] + ids.suffix(9)
    }
}
