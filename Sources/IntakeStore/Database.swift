import Foundation
import GRDB

/// The SQLite database: one `DatabasePool` in WAL mode, migrated on open.
/// Readers (the review CLI) and the one writer (the service) share the file safely.
/// The writer is the store's own: other modules read through `read` (read-only snapshots) and change
/// things only through named methods (Access/, the pipeline, the review desk).
public final class IntakeDatabase: Sendable {
    let writer: any DatabaseWriter
    /// Rung by whoever commits queued replies in this process; the outbox lanes wait on it.
    public let outboxBell = OutboxBell()

    /// Opens (creating if needed) the database at `path` and applies every pending migration.
    public convenience init(path: String) throws {
        var configuration = Configuration()
        // Another process (the CLI next to `serve`) may hold the write lock for a moment: wait rather than fail.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // FULL: an acknowledged message survives a power cut, not only a crash.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Erased data is overwritten, not only unlinked (Debian builds SQLite this way; others may not).
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // Each message of a group commit runs in a savepoint, and SQLite copies every page a savepoint
            // first touches into a statement journal, a temporary file past 64 KiB: ~40 write calls a
            // message. In memory it costs a copy, not a system call; nothing in it outlives the transaction.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // Readers look at a few pages each (a queue, a count, one submission): 512 KiB of cache
            // each instead of SQLite's 2 MiB keeps a busy pool's memory small. The writer keeps 2 MiB.
            if db.configuration.readonly { try db.execute(sql: "PRAGMA cache_size = -512") }
        }
        // More readers at once than cores (and one waiting on IO) only queue on the CPU and hold caches.
        configuration.maximumReaderCount = max(2, min(5, ProcessInfo.processInfo.activeProcessorCount + 1))
        let pool = try Self.retryingWhileBusy { try DatabasePool(path: path, configuration: configuration) }
        try Self.retryingWhileBusy { try Self.migrate(pool) }
        self.init(writer: pool)
    }

    /// The writer, for the inbound pipeline's own transactions (IntakePipeline imports the store with
    /// `@_spi(Pipeline)`; nothing else does).
    @_spi(Pipeline) public var pipelineWriter: any DatabaseWriter { writer }

    private init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// A database in memory, migrated, gone when released: for tests of the store's logic.
    public static func inMemory() throws -> IntakeDatabase {
        let queue = try DatabaseQueue()
        try Migrations.migrator.migrate(queue)
        return IntakeDatabase(writer: queue)
    }

    /// Empties the write-ahead log into the database file and truncates it, so erased values do not
    /// linger in old WAL frames. Called after a commit that erased someone.
    public func truncateLog() {
        _ = try? writer.writeWithoutTransaction { db in Self.truncateLog(db) }
    }

    /// The same on a connection the caller already holds, outside any transaction.
    public static func truncateLog(_ db: Database) {
        _ = try? db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// GRDB checks which migrations are applied before taking the write lock, so two processes
    /// opening a new file can both try the first one; the loser's transaction rolls back with
    /// "table already exists". Each migration is one transaction, so trying again is safe: it then
    /// sees the other process's work and skips it.
    private static func migrate(_ pool: some DatabaseWriter) throws {
        var attempt = 0
        while true {
            do {
                return try Migrations.migrator.migrate(pool)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR && attempt < 3 {
                attempt += 1
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    /// Opening a new file races with another process opening it (switching to WAL, first migration):
    /// SQLite then answers SQLITE_BUSY at once, without its busy timeout. Try again for a few seconds.
    private static func retryingWhileBusy<T>(_ body: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(10)
        while true {
            do {
                return try body()
            } catch let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }
}

extension JSONEncoder {
    /// Stable JSON for columns that hold JSON (sorted keys, so equal values are equal text).
    static let column: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

extension Encodable {
    @_spi(Pipeline) public func jsonColumn() throws -> String {
        String(decoding: try JSONEncoder.column.encode(self), as: UTF8.self)
    }
}

// Most messages carry no answers, options or headers yet: their JSON is known without an encoder.
extension Dictionary where Key == String, Value: Encodable {
    @_spi(Pipeline) public func jsonColumn() throws -> String {
        isEmpty ? "{}" : String(decoding: try JSONEncoder.column.encode(self), as: UTF8.self)
    }
}

extension Array where Element: Encodable {
    @_spi(Pipeline) public func jsonColumn() throws -> String {
        isEmpty ? "[]" : String(decoding: try JSONEncoder.column.encode(self), as: UTF8.self)
    }
}

extension Decodable {
    @_spi(Pipeline) public static func fromJSONColumn(_ text: String) throws -> Self {
        try JSONDecoder().decode(Self.self, from: Data(text.utf8))
    }
}
