import Foundation
import GRDB
import IntakeCore

// Reads other modules need, named, so their SQL stays in the store.
extension IntakeDatabase {
    /// Whether the database answers (for /healthz).
    public func isReachable() async -> Bool {
        (try? await writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    /// The outbox's backlog (rows waiting to go) and its rows that failed for good, for /metrics.
    public func outboxGauges() async throws -> (backlog: Int, failed: Int) {
        try await writer.read { db in
            (try OutboxMessage.backlog(db), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL") ?? 0)
        }
    }

    /// What a chat reply needs besides itself: the contact's language, the provider's id of the message it
    /// answers, and when the recipient last wrote on `channel` (only when `lastHeard` is asked for).
    public func replyContext(for message: OutboxMessage, channel: Channel, lastHeard: Bool) async throws -> (language: String?, answered: String?, lastHeard: Date?) {
        try await writer.read { db in
            let language = try message.contactId.flatMap { try String.fetchOne(db, sql: "SELECT language FROM contact WHERE id = ?", arguments: [$0]) }
            let answered = try message.inboundId.flatMap { try String.fetchOne(db, sql: "SELECT external_id FROM inbound WHERE id = ?", arguments: [$0]) }
            let heard = lastHeard ? try OutboxMessage.lastHeard(channel: channel, recipient: message.recipient, db: db) : nil
            return (language, answered, heard)
        }
    }

    /// Submissions per review status, by status.
    public func submissionCounts() async throws -> [(status: String, count: Int)] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT status, COUNT(*) FROM submission GROUP BY status ORDER BY status").map { (try $0.decode(atIndex: 0), try $0.decode(atIndex: 1)) }
        }
    }

    /// The registry's published pledges, by id.
    public func publishedPledges() async throws -> [Pledge] {
        try await writer.read { db in try Pledge.fetchAll(db, sql: "SELECT * FROM pledge WHERE published ORDER BY external_id") }
    }
}
