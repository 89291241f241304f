import Foundation
import GRDB
import IntakeCore

// The queries of the inbound pipeline (IntakePipeline), inside the transaction it holds: the SQL stays in
// the store. Visible to the modules that import the store with `@_spi(Pipeline)`.

extension InboundRecord {
    /// Messages of a contact waiting to be answered (before `inboundId`, when given).
    @_spi(Pipeline) public static func deferredCount(contactId: Int64, before inboundId: Int64?, db: Database) throws -> Int {
        let sql = "SELECT COUNT(*) FROM inbound WHERE outcome = 'deferred' AND contact_id = ? AND id < ?"
        return try Int.fetchOne(db.cachedStatement(sql: sql), arguments: [contactId, inboundId ?? Int64.max]) ?? 0
    }

    /// The oldest `limit` messages waiting to be answered.
    @_spi(Pipeline) public static func deferred(limit: Int, db: Database) throws -> [InboundRecord] {
        try InboundRecord.filter(Columns.outcome == MessageOutcome.deferred).order(Columns.id).limit(limit).fetchAll(db)
    }
}

extension Attachment {
    /// Forgets the bytes of a message's files (their description stays): sent before any consent.
    @_spi(Pipeline) public static func dropData(inboundId: Int64, db: Database) throws {
        try db.execute(sql: "UPDATE attachment SET data = NULL WHERE inbound_id = ?", arguments: [inboundId])
    }
}

extension Contact {
    /// The contact an email's hints lead to: the newest of our own Message-IDs among its `references`, else
    /// its subject's tag (a conversation's "GCR-CV-…" or a submission's reference). Only a hint: the
    /// caller checks it is the sender's own contact.
    @_spi(Pipeline) public static func hinted(references: [String], tag: String?, db: Database) throws -> Contact? {
        if !references.isEmpty {
            let ids = try Int64.fetchAll(
                db,
                sql: "SELECT contact_id FROM outbox WHERE channel = 'email' AND external_id IN (\(references.map { _ in "?" }.joined(separator: ","))) AND contact_id IS NOT NULL ORDER BY id DESC LIMIT 1",
                arguments: StatementArguments(references))
            if let id = ids.first, let contact = try Contact.fetchOne(db, key: id) { return contact }
        }
        guard let tag else { return nil }
        let contactId: Int64?
        if tag.hasPrefix("GCR-CV-"), let number = Int64(tag.dropFirst(7)) {
            contactId = try Int64.fetchOne(db, sql: "SELECT contact_id FROM conversation WHERE id = ?", arguments: [number])
        } else {
            contactId = try Int64.fetchOne(db, sql: "SELECT contact_id FROM submission WHERE reference = ?", arguments: [tag])
        }
        return try contactId.flatMap { try Contact.fetchOne(db, key: $0) }
    }
}

extension Submission {
    /// A contact's submissions for "status", newest first (at most 50), or the one with `reference`.
    @_spi(Pipeline) public static func forStatus(contactId: Int64, reference: String?, db: Database) throws
        -> [(reference: String, kind: String, answers: [String: Answer], status: SubmissionStatus)]
    {
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT reference, kind, answers, status FROM submission WHERE contact_id = ? AND (? IS NULL OR reference = ?) ORDER BY id DESC LIMIT 50",
            arguments: [contactId, reference, reference])
        return try rows.map { row in
            let answers = (try? [String: Answer].fromJSONColumn(try row.decode(forColumn: "answers") as String)) ?? [:]
            return (try row.decode(forColumn: "reference"), try row.decode(forColumn: "kind"), answers, try row.decode(forColumn: "status"))
        }
    }
}

extension InboundRecord {
    /// Records `message` and its files, once: nil when its (channel, external id) was seen before, or
    /// belongs to someone erased since (a redelivery must not bring them back).
    @_spi(Pipeline) public static func record(_ message: InboundMessage, db: Database) throws -> InboundRecord? {
        if try ErasedId.wasErased(channel: message.channel, externalId: message.externalId, db: db) { return nil }
        var inbound = InboundRecord(
            id: nil, channel: message.channel, externalId: message.externalId, contactId: nil, conversationId: nil,
            sender: message.sender, threadKey: message.threadKey, rawSize: message.rawSize, text: message.text,
            receivedAt: message.receivedAt, processedAt: nil, error: nil, raw: message.raw, outcome: .processed,
            messageIds: message.references.isEmpty ? nil : try message.references.jsonColumn())
        guard try inbound.insertUnlessSeen(db), let id = inbound.id else { return nil }
        for file in message.attachments {
            var row = Attachment(
                id: nil, inboundId: id, filename: file.filename, contentType: file.contentType, size: file.size, sha256: file.sha256, storedPath: nil,
                data: file.data, mediaKind: message.media?.kind.rawValue, durationSeconds: message.media?.durationSeconds)
            try row.insert(db)
        }
        return inbound
    }
}

extension Contact {
    /// A new contact for the sender of `message`, starting in `language`.
    @_spi(Pipeline) public static func create(for message: InboundMessage, language: String, now: Date, db: Database) throws -> Contact {
        var contact = Contact(
            id: nil, channel: message.channel, address: message.sender, displayName: message.displayName, language: language,
            email: message.channel == .email ? message.sender : nil, createdAt: now)
        try contact.insertNew(db)
        return contact
    }
}
