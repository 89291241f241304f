import Foundation
import GRDB

/// The retention rule (`GCR_INTAKE_RETENTION_DAYS`): drafts nobody touched since the cutoff are
/// abandoned and deleted with what was said in them, and raw mail and attachments received before it
/// are dropped (the text read from them stays with the submissions it became).
public enum Retention {
    public struct Purge: Sendable, Equatable {
        public var drafts = 0
        public var inbound = 0
        public var outbox = 0
        public init() {}
    }

    public static func purge(before cutoff: Date, db: Database) throws -> Purge {
        var purge = Purge()
        let drafts = "SELECT id FROM conversation WHERE status IN ('active', 'paused', 'abandoned', 'stopped', 'expired') AND updated_at < ? AND id NOT IN (SELECT conversation_id FROM submission WHERE conversation_id IS NOT NULL)"
        try db.execute(
            sql: "UPDATE inbound SET text = '', raw = NULL, outcome = 'purged' WHERE conversation_id IN (\(drafts))", arguments: [cutoff])
        purge.inbound += db.changesCount
        try db.execute(sql: "DELETE FROM conversation WHERE id IN (\(drafts))", arguments: [cutoff])
        purge.drafts = db.changesCount
        try db.execute(sql: "UPDATE attachment SET data = NULL WHERE data IS NOT NULL AND inbound_id IN (SELECT id FROM inbound WHERE received_at < ?)", arguments: [cutoff])
        try db.execute(sql: "UPDATE inbound SET raw = NULL WHERE raw IS NOT NULL AND received_at < ?", arguments: [cutoff])
        purge.inbound += db.changesCount
        // Delivered (or given up) messages: their text is the contributor's answers echoed back.
        try db.execute(sql: "DELETE FROM outbox WHERE COALESCE(sent_at, failed_at) < ?", arguments: [cutoff])
        purge.outbox = db.changesCount
        return purge
    }
}
