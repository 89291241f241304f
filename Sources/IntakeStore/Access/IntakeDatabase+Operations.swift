import Foundation
import GRDB
import IntakeCore

// The changes the service and the CLI make outside the inbound pipeline and the review desk, each one
// transaction, named for what it does.
extension IntakeDatabase {
    // MARK: - Contacts

    /// Erases everything stored about `address` (`contacts forget`); nil when nothing is stored.
    /// The write-ahead log is emptied after, so the erased values do not linger in it.
    public func forget(address: String, requestedBy: String, catalog: Catalog, at now: Date) throws -> Eraser.Report? {
        let eraser = Eraser(catalog: catalog)
        let report = try writer.write { db -> Eraser.Report? in
            let ids = try eraser.contacts(matching: address, db: db)
            let stored = try ContactDossier.load(address: address, catalog: catalog, db: db)
            guard !ids.isEmpty || !stored.isEmpty else { return nil }
            return try eraser.forget(contactIds: ids, address: address, requestedBy: requestedBy, at: now, db: db)
        }
        if report != nil { truncateLog() }
        return report
    }

    /// A key kept in the database under `name`, made on first use (signing web chat cookies).
    public func secretKey(named name: String) throws -> Data {
        try writer.write { db in try AppSecret.key(named: name, db: db) }
    }

    // MARK: - Pledges

    /// Adds or updates the registry's pledges read from a file, in one transaction.
    public func importPledges(
        _ pledges: [(line: Int, pledge: PledgeInput)], with importer: PledgeImporter, at now: Date, progress: (Int) -> Void = { _ in }
    ) throws -> PledgeImporter.Report {
        try writer.write { db in try importer.write(pledges, at: now, db: db, progress: progress) }
    }

    /// Plans a call for updates and queues its invitations in the same transaction (so two runs cannot
    /// both invite a pledge).
    public func queueCampaign(
        _ campaign: PledgeCampaign, name: String, forum: String, staleDays: Int, perMinute: Int, now: Date
    ) throws -> (plan: PledgeCampaign.Plan, queued: Int) {
        try writer.write { db in
            let plan = try campaign.plan(name: name, forum: forum, staleDays: staleDays, now: now, db: db)
            return (plan, try campaign.run(plan, name: name, forum: forum, perMinute: perMinute, now: now, db: db))
        }
    }

    // MARK: - Upkeep

    /// Removes drafts and messages past the retention time.
    public func purge(before cutoff: Date) async throws -> Retention.Purge {
        try await writer.write { db in try Retention.purge(before: cutoff, db: db) }
    }

    /// Queues the reminders and expiry notices due at `now`.
    public func sweep(_ reminders: DraftReminders, now: Date) async throws -> DraftReminders.Report {
        try await writer.write { db in try reminders.sweep(now: now, db: db) }
    }

    // MARK: - Web chat

    /// Deletes the replies that are kept only until the visitor has read them (an erasure's confirmation).
    public func purgeReadReplies(_ items: [WebChatInbox.Item]) async throws {
        guard items.contains(where: \.purgeOnRead) else { return }
        try await writer.write { db in try WebChatInbox.purge(items, db: db) }
    }
}
