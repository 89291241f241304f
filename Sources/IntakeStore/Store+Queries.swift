import Foundation
import GRDB
import IntakeCore

extension Contact {
    public static func find(channel: Channel, address: String, db: Database) throws -> Contact? {
        try Contact.fetchOne(db.cachedStatement(sql: "SELECT * FROM contact WHERE channel = ? AND address = ?"), arguments: [channel, address])
    }
}

extension ConversationRecord {
    /// The conversation still going on for a contact, if any (at most one is active).
    public static func active(contactId: Int64, db: Database) throws -> ConversationRecord? {
        try ConversationRecord.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM conversation WHERE contact_id = ? AND status = 'active' ORDER BY id DESC LIMIT 1"),
            arguments: [contactId])
    }

    /// The contact's latest draft stopped with answers kept, which "resume" brings back.
    @_spi(Pipeline) public static func lastStopped(contactId: Int64, db: Database) throws -> ConversationRecord? {
        try ConversationRecord.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM conversation WHERE contact_id = ? AND status = 'stopped' ORDER BY id DESC LIMIT 1"),
            arguments: [contactId])
    }
}

extension ConversationRecord {
    /// A draft paused while the contributor edited a submission a reviewer sent back goes on again.
    @_spi(Pipeline) public static func resumePaused(contactId: Int64, db: Database) throws {
        try db.execute(
            sql: """
                UPDATE conversation SET status = 'active' WHERE id = (
                  SELECT id FROM conversation WHERE contact_id = ? AND status = 'paused' ORDER BY id DESC LIMIT 1)
                AND NOT EXISTS (SELECT 1 FROM conversation WHERE contact_id = ? AND status = 'active')
                """, arguments: [contactId, contactId])
    }
}

extension Submission {
    /// Records what a contributor confirmed: a new submission with the next reference of its form's
    /// prefix, or, when they were editing one a reviewer sent back, that submission again (back to
    /// `submitted`). Either way an audit event, which the *received* notice is about.
    @_spi(Pipeline) public static func submit(
        form: String, answers: [String: Answer], editing: String?, catalog: Catalog, contact: Contact, conversationId: Int64, language: String,
        at now: Date, db: Database
    ) throws -> (Submission, ReviewEvent) {
        if let editing, var submission = try Submission.filter(Submission.Columns.reference == editing).fetchOne(db), submission.status == .changesRequested {
            submission.answers = try answers.jsonColumn()
            submission.language = language
            submission.pledgeId = try PledgeRegistry.named(in: answers, form: catalog.form(form), db: db)?.id
            submission.status = .submitted
            submission.updatedAt = now
            try submission.update(db)
            var event = ReviewEvent(id: nil, submissionId: submission.id!, reviewer: "contributor", action: .resubmitted, note: nil, at: now)
            try event.insert(db)
            return (submission, event)
        }
        guard let prefix = catalog.form(form)?.referencePrefix else { throw StoreError("unknown form '\(form)'") }
        let number = try Int.fetchOne(
            db, sql: "INSERT INTO reference_counter (prefix, last) VALUES (?, 1) ON CONFLICT(prefix) DO UPDATE SET last = last + 1 RETURNING last",
            arguments: [prefix])!
        var submission = Submission(
            id: nil, reference: reference(prefix: prefix, number: number), kind: form, answers: try answers.jsonColumn(), contactId: contact.id,
            conversationId: conversationId, channel: contact.channel, language: language, status: .submitted, submittedAt: now, updatedAt: now,
            assignedTo: nil, pledgeId: try PledgeRegistry.named(in: answers, form: catalog.form(form), db: db)?.id)
        try submission.insert(db)
        var event = ReviewEvent(id: nil, submissionId: submission.id!, reviewer: "contributor", action: .submitted, note: nil, at: now)
        try event.insert(db)
        return (submission, event)
    }

    /// "GCR-PR" and 42 → "GCR-PR-000042".
    public static func reference(prefix: String, number: Int) -> String {
        let digits = String(number)
        return prefix + "-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    public func decodedAnswers() throws -> [String: Answer] {
        try [String: Answer].fromJSONColumn(answers)
    }
}

extension OutboxMessage {
    /// Rows not yet delivered nor given up (a counter kept by triggers: see migration v6).
    public static func backlog(_ db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT n FROM outbox_backlog_count WHERE id = 1")) ?? 0
    }

    /// A message waiting for its first delivery attempt, due now.
    static func queued(channel: Channel, to recipient: String, contactId: Int64?, body: String, at now: Date) -> OutboxMessage {
        OutboxMessage(
            id: nil, channel: channel, recipient: recipient, contactId: contactId, inboundId: nil, subject: nil, body: body, options: "[]",
            headers: "{}", attempts: 0, nextAttemptAt: now, sentAt: nil, lastError: nil, externalId: nil, createdAt: now, failedAt: nil,
            providerStatus: nil, html: nil, reviewEventId: nil)
    }

    @_spi(Pipeline) public static func reply(_ reply: Reply, to contact: Contact, inboundId: Int64?, at now: Date) throws -> OutboxMessage {
        var row = queued(channel: contact.channel, to: contact.address, contactId: contact.id, body: reply.text, at: now)
        row.inboundId = inboundId
        row.options = try reply.options.jsonColumn()
        return row
    }

    /// A Message-ID of ours ("gcr.<uuid>@domain"): replies to it find their way back by it.
    @_spi(Pipeline) public static func newMessageId(domain: String) -> String {
        "gcr.\(UUID().uuidString.lowercased())@\(domain)"
    }

    /// Records a provider's delivery report about one of our replies.
    public static func recordProviderStatus(channel: Channel, externalId: String, status: String, db: Database) throws {
        try db.execute(sql: "UPDATE outbox SET provider_status = ? WHERE channel = ? AND external_id = ?", arguments: [status, channel, externalId])
    }

    /// The provider's status when a message it accepted failed because its window was closed.
    public static let windowClosedStatus = "window_closed"

    /// A reply that has a template, accepted then refused for the closed window: due again, to go as the template.
    public static func resendAsTemplate(channel: Channel, externalId: String, at now: Date, db: Database) throws {
        try db.execute(
            sql: """
                UPDATE outbox SET sent_at = NULL, failed_at = NULL, next_attempt_at = ?, provider_status = ?, parts_sent = 0
                WHERE channel = ? AND external_id = ? AND template IS NOT NULL AND COALESCE(provider_status, '') <> ?
                """, arguments: [now, windowClosedStatus, channel, externalId, windowClosedStatus])
    }

    /// Provider messages queued for a contact since `date` (for reply caps): a chat reply split into
    /// several messages counts as that many.
    @_spi(Pipeline) public static func count(to contactId: Int64, since date: Date, db: Database) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(
                sql:
                    "SELECT COALESCE(SUM(CASE WHEN channel = 'email' THEN 1 ELSE MAX(1, (length(body) + 4095) / 4096) END), 0) FROM outbox WHERE contact_id = ? AND created_at > ?"
            ),
            arguments: [contactId, StoredDate.text(date)]) ?? 0
    }

    /// Rows of `channel` due for a delivery attempt at `now`, oldest first, at most one per recipient (the
    /// oldest one still to go, so a conversation's messages arrive in order). A row that cannot be read
    /// (a broken value written by an older version, say) is marked failed and reported by id, so one
    /// bad row never stops delivery of the others.
    public static func due(channel: Channel, at now: Date, limit: Int, db: Database) throws -> (rows: [OutboxMessage], unreadable: [Int64]) {
        let raw = try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM outbox WHERE channel = ? AND sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
                AND NOT EXISTS (
                  SELECT 1 FROM outbox AS earlier WHERE earlier.channel = outbox.channel AND earlier.recipient = outbox.recipient
                  AND earlier.id < outbox.id AND earlier.sent_at IS NULL AND earlier.failed_at IS NULL)
                ORDER BY next_attempt_at, id LIMIT ?
                """,
            arguments: [channel, now, limit])
        var rows: [OutboxMessage] = []
        var unreadable: [Int64] = []
        for row in raw {
            if let message = try? OutboxMessage(row: row) {
                rows.append(message)
            } else if let id = row["id"] as Int64? {
                unreadable.append(id)
                try db.execute(
                    sql: "UPDATE outbox SET failed_at = ?, last_error = 'unreadable row (bad stored value)' WHERE id = ?", arguments: [now, id])
            }
        }
        return (rows, unreadable)
    }

    /// Parts of a split reply the provider accepted before a failure.
    public static func recordPartsSent(id: Int64, parts: Int, db: Database) throws {
        try db.execute(sql: "UPDATE outbox SET parts_sent = MAX(parts_sent, ?) WHERE id = ?", arguments: [parts, id])
    }

    /// Records a failed attempt: tried again at `retryAt`, or never when `retryAt` is nil (permanent failure).
    public static func markFailed(id: Int64, error: String, retryAt: Date?, at now: Date, db: Database) throws {
        try db.execute(
            sql: "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at), failed_at = CASE WHEN ? IS NULL THEN ? ELSE NULL END WHERE id = ?",
            arguments: [error, retryAt, retryAt, now, id])
    }

    /// Messages not yet delivered to `recipient` on `channel`, oldest first.
    public static func pending(channel: Channel, recipient: String, db: Database) throws -> [OutboxMessage] {
        try OutboxMessage.filter(OutboxMessage.Columns.channel == channel && OutboxMessage.Columns.recipient == recipient && OutboxMessage.Columns.sentAt == nil)
            .order(OutboxMessage.Columns.id).fetchAll(db)
    }

    /// When the contributor at `recipient` on `channel` last wrote to us (WhatsApp's 24-hour window).
    public static func lastHeard(channel: Channel, recipient: String, db: Database) throws -> Date? {
        guard let contactId = try Int64.fetchOne(db, sql: "SELECT id FROM contact WHERE channel = ? AND address = ?", arguments: [channel, recipient]) else {
            return nil
        }
        return try Date.fetchOne(db, sql: "SELECT MAX(received_at) FROM inbound WHERE contact_id = ?", arguments: [contactId])
    }

    /// Records a successful delivery.
    public static func markSent(id: Int64, at now: Date, externalId: String? = nil, db: Database) throws {
        try db.execute(sql: "DELETE FROM outbox WHERE id = ? AND purge_on_send", arguments: [id])
        guard db.changesCount == 0 else { return }
        try db.execute(
            sql: "UPDATE outbox SET sent_at = ?, external_id = COALESCE(?, external_id), attempts = attempts + 1 WHERE id = ?",
            arguments: [now, externalId, id])
    }
}

extension IntakeDatabase {
    /// Whether a message with this id was recorded already (a provider's redelivery): its file need not be fetched again.
    public func wasReceived(channel: Channel, externalId: String) async throws -> Bool {
        try await writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM inbound WHERE channel = ? AND external_id = ?)", arguments: [channel, externalId]) ?? false
        }
    }

    /// The conversation a contact left off, if it is still going on.
    public func activeConversation(channel: Channel, address: String) throws -> ConversationState? {
        try writer.read { db in
            guard let contact = try Contact.find(channel: channel, address: address, db: db), let id = contact.id else { return nil }
            return try ConversationRecord.active(contactId: id, db: db)?.decodedState()
        }
    }
}
