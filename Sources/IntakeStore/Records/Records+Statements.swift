import Foundation
import GRDB

// The writes made for every inbound message, as SQL prepared once per connection (cached statements).
// GRDB's generic persistence builds a container and looks up the table's primary key for every row;
// on the ingest path that was a fifth of the writer's time.

extension InboundRecord {
    /// Inserts the row unless its (channel, external id) is already there; true when it was inserted.
    @_spi(Pipeline) public mutating func insertUnlessSeen(_ db: Database) throws -> Bool {
        let statement = try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO inbound (channel, external_id, contact_id, conversation_id, sender, thread_key, raw_size, text,
                  received_at, processed_at, error, raw, outcome, message_ids, deferred)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try statement.execute(arguments: [
            channel, externalId, contactId, conversationId, sender, threadKey, rawSize, text, StoredDate.text(receivedAt), StoredDate.text(processedAt), error, raw, outcome, messageIds,
            deferred,
        ])
        guard db.changesCount == 1 else { return false }
        id = db.lastInsertedRowID
        return true
    }

    /// Saves what processing changed: the contact and conversation, the outcome and what waits.
    @_spi(Pipeline) public func saveOutcome(_ db: Database) throws {
        let statement = try db.cachedStatement(
            sql: "UPDATE inbound SET contact_id = ?, conversation_id = ?, processed_at = ?, error = ?, outcome = ?, deferred = ? WHERE id = ?")
        try statement.execute(arguments: [contactId, conversationId, StoredDate.text(processedAt), error, outcome, deferred, id])
    }
}

extension ConversationRecord {
    /// Inserts the conversation, or saves its state when it has an id.
    @_spi(Pipeline) public mutating func saveState(_ db: Database) throws {
        if let id {
            let statement = try db.cachedStatement(
                sql: "UPDATE conversation SET form = ?, step = ?, field = ?, answers = ?, language = ?, status = ?, state = ?, updated_at = ? WHERE id = ?")
            try statement.execute(arguments: [form, step, field, answers, language, status, state, StoredDate.text(updatedAt), id])
            return
        }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO conversation (contact_id, form, step, field, answers, language, status, state, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try statement.execute(arguments: [contactId, form, step, field, answers, language, status, state, StoredDate.text(createdAt), StoredDate.text(updatedAt)])
        id = db.lastInsertedRowID
    }
}

extension Contact {
    @_spi(Pipeline) public mutating func insertNew(_ db: Database) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO contact (channel, address, display_name, language, email, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        try statement.execute(arguments: [channel, address, displayName, language, email, StoredDate.text(createdAt)])
        id = db.lastInsertedRowID
    }
}

extension OutboxMessage {
    /// Queues the row (a new one: no id yet).
    @_spi(Pipeline) public mutating func enqueue(_ db: Database) throws {
        // The web chat has no provider: a reply is delivered once committed, and the visitor's page reads it (WebChatInbox).
        if channel == WebChatInbox.channel, sentAt == nil { sentAt = createdAt }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO outbox (channel, recipient, contact_id, inbound_id, subject, body, options, headers, attempts, next_attempt_at,
                  sent_at, last_error, external_id, created_at, failed_at, provider_status, html, review_event_id, parts_sent, purge_on_send, template)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try statement.execute(arguments: [
            channel, recipient, contactId, inboundId, subject, body, options, headers, attempts, StoredDate.text(nextAttemptAt), StoredDate.text(sentAt), lastError, externalId,
            StoredDate.text(createdAt), StoredDate.text(failedAt), providerStatus, html, reviewEventId, partsSent, purgeOnSend, template,
        ])
        id = db.lastInsertedRowID
    }
}
