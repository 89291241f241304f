import Foundation
import GRDB
import IntakeCore

// The outbox as its senders change it: the rows due on a channel, and what became of each.
extension IntakeDatabase {
    /// Up to `limit` rows of `channel` due at `now`, claimed for sending; ids of rows that could not be read.
    public func dueOutbox(channel: Channel, at now: Date, limit: Int) async throws -> (rows: [OutboxMessage], unreadable: [Int64]) {
        try await writer.write { db in try OutboxMessage.due(channel: channel, at: now, limit: limit, db: db) }
    }

    /// The row went out (with the provider's id for it, if any).
    public func markSent(outboxId id: Int64, at now: Date, externalId: String? = nil) async throws {
        try await writer.write { db in try OutboxMessage.markSent(id: id, at: now, externalId: externalId, db: db) }
    }

    /// The same, for the terminal chat, which shows replies as it goes.
    public func markShown(outboxId id: Int64, at now: Date) throws {
        try writer.write { db in try OutboxMessage.markSent(id: id, at: now, db: db) }
    }

    /// The row was not delivered: `error` kept, retried at `retryAt` (never when nil); `partsSent` of a
    /// long reply already accepted are not sent again.
    public func markFailed(outboxId id: Int64, error: String, retryAt: Date?, partsSent: Int?, at now: Date) async throws {
        try await writer.write { db in
            if let partsSent { try OutboxMessage.recordPartsSent(id: id, parts: partsSent, db: db) }
            try OutboxMessage.markFailed(id: id, error: error, retryAt: retryAt, at: now, db: db)
        }
    }

    /// A provider's delivery reports on our replies: `statuses` recorded; the rows of `windowClosed`
    /// (refused after the 24-hour window closed) queued again, once, as their template.
    public func recordDeliveryReports(channel: Channel, statuses: [(id: String, status: String)], windowClosed: Set<String>, at now: Date) async throws {
        try await writer.write { db in
            for id in windowClosed { try OutboxMessage.resendAsTemplate(channel: channel, externalId: id, at: now, db: db) }
            for status in statuses where !windowClosed.contains(status.id) {
                try OutboxMessage.recordProviderStatus(channel: channel, externalId: status.id, status: status.status, db: db)
            }
        }
    }
}
