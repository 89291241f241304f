import Foundation
import GRDB

/// Where IMAP ingest stands in one mailbox, and which committed messages still await their acknowledgement.
public struct MailboxProgress: Sendable, Equatable {
    public var uidValidity: UInt32
    public var lastUid: UInt32

    public init(uidValidity: UInt32, lastUid: UInt32) {
        self.uidValidity = uidValidity
        self.lastUid = lastUid
    }
}

extension IntakeDatabase {
    public func mailboxProgress(_ mailbox: String) throws -> MailboxProgress? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT uid_validity, last_uid FROM mailbox_state WHERE mailbox = ?", arguments: [mailbox]).map {
                MailboxProgress(uidValidity: UInt32($0["uid_validity"] as Int64), lastUid: UInt32($0["last_uid"] as Int64))
            }
        }
    }

    /// Starts over in `mailbox` after a UIDVALIDITY change: old UIDs mean nothing any more.
    /// Messages already stored are recognised again by their Message-ID and not processed twice.
    public func resetMailbox(_ mailbox: String, uidValidity: UInt32) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM mail_ack WHERE mailbox = ?", arguments: [mailbox])
            try db.execute(
                sql: "INSERT INTO mailbox_state (mailbox, uid_validity, last_uid) VALUES (?, ?, 0) ON CONFLICT(mailbox) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = 0",
                arguments: [mailbox, uidValidity])
        }
    }

    /// Inside the message's transaction: remember it as committed and owed an acknowledgement. (Where the
    /// mailbox stands, `last_uid`, is moved once per batch by `noteScanned`.)
    public static func noteFetched(mailbox: String, uidValidity: UInt32, uid: UInt32, db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO mail_ack (mailbox, uid_validity, uid) VALUES (?, ?, ?)").execute(arguments: [
            mailbox, uidValidity, uid,
        ])
    }

    /// Inside a batch's transaction: every UID up to `last` was looked at (gaps are expunged messages).
    public static func noteScanned(mailbox: String, uidValidity: UInt32, through last: UInt32, db: Database) throws {
        try db.execute(sql: "UPDATE mailbox_state SET last_uid = max(last_uid, ?) WHERE mailbox = ? AND uid_validity = ?", arguments: [last, mailbox, uidValidity])
    }

    public func pendingAcks(_ mailbox: String, uidValidity: UInt32) throws -> [UInt32] {
        try writer.read { db in
            try Int64.fetchAll(db, sql: "SELECT uid FROM mail_ack WHERE mailbox = ? AND uid_validity = ? ORDER BY uid", arguments: [mailbox, uidValidity]).map { UInt32($0) }
        }
    }

    public func clearAcks(_ mailbox: String, uidValidity: UInt32, uids: [UInt32]) throws {
        guard !uids.isEmpty else { return }
        try writer.write { db in
            try db.execute(
                sql: "DELETE FROM mail_ack WHERE mailbox = ? AND uid_validity = ? AND uid IN (\(uids.map { _ in "?" }.joined(separator: ",")))",
                arguments: StatementArguments([mailbox, Int64(uidValidity)] as [any DatabaseValueConvertible] + uids.map { Int64($0) }))
        }
    }
}
