import Foundation
import GRDB
import IntakeCore

/// What the web chat's page reads: a visitor's conversation so far and the replies after a cursor.
/// Replies to a visitor are outbox rows of channel "web", delivered on commit (nothing sends them):
/// the page fetches them by id. An erasure's confirmation (purge on send) is deleted once fetched.
public enum WebChatInbox {
    public static let channel = Channel.web

    /// One line of the chat: the visitor's message ("me") or ours ("bot", with its choices).
    public struct Item: Sendable, Equatable {
        public enum Side: String, Sendable { case me, bot }
        public var side: Side
        /// Outbox id for ours (the cursor), inbound id for the visitor's.
        public var id: Int64
        public var text: String
        /// Choices as stored: JSON of [{number, label}].
        public var options: String
        public var at: Date
        /// An erasure's confirmation: deleted once read (`purge`).
        public var purgeOnRead = false
    }

    /// The last `limit` lines of the visitor's conversation, oldest first, and the cursor after them.
    public static func history(address: String, limit: Int = 200, db: Database) throws -> (items: [Item], cursor: Int64) {
        let ours = try replies(address: address, after: 0, limit: limit, newest: true, db: db)
        var items = ours
        if let contactId = try Int64.fetchOne(db, sql: "SELECT id FROM contact WHERE channel = ? AND address = ?", arguments: [channel, address]) {
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, text, received_at FROM inbound WHERE contact_id = ? AND channel = ? ORDER BY id DESC LIMIT ?",
                arguments: [contactId, channel, limit])
            items += rows.map { Item(side: .me, id: $0["id"], text: $0["text"], options: "[]", at: $0["received_at"]) }
        }
        // Same second: the visitor's message came first (a reply is written in the transaction of what it answers).
        items.sort { ($0.at, $0.side == .me ? 0 : 1, $0.id) < ($1.at, $1.side == .me ? 0 : 1, $1.id) }
        let cursor = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM outbox WHERE channel = ? AND recipient = ?", arguments: [channel, address]) ?? 0
        return (Array(items.suffix(limit)), cursor)
    }

    /// Our replies to the visitor with an id above `cursor`, oldest first.
    public static func replies(after cursor: Int64, address: String, limit: Int = 100, db: Database) throws -> [Item] {
        try replies(address: address, after: cursor, limit: limit, newest: false, db: db)
    }

    private static func replies(address: String, after cursor: Int64, limit: Int, newest: Bool, db: Database) throws -> [Item] {
        let order = newest ? "DESC" : "ASC"
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT id, body, options, created_at, purge_on_send FROM outbox WHERE channel = ? AND recipient = ? AND id > ? ORDER BY id \(order) LIMIT ?",
            arguments: [channel, address, cursor, limit])
        let items = rows.map { Item(side: .bot, id: $0["id"], text: $0["body"], options: $0["options"], at: $0["created_at"], purgeOnRead: $0["purge_on_send"]) }
        return newest ? items.reversed() : items
    }

    /// The confirmation of an erasure is kept until the page has read it, then goes (call in a write).
    public static func purge(_ items: [Item], db: Database) throws {
        for item in items where item.purgeOnRead {
            try db.execute(sql: "DELETE FROM outbox WHERE purge_on_send AND id = ?", arguments: [item.id])
        }
    }
}
