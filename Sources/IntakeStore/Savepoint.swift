import GRDB

/// One message's work inside a batch transaction: undone alone if it throws, the others kept. Like
/// GRDB's `inSavepoint`, with the three statements prepared once per connection (a batch runs one
/// savepoint per message).
public enum Savepoint {
    public static func run<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        try db.cachedStatement(sql: "SAVEPOINT message").execute()
        do {
            let result = try body()
            try db.cachedStatement(sql: "RELEASE SAVEPOINT message").execute()
            return result
        } catch {
            try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT message").execute()
            try db.cachedStatement(sql: "RELEASE SAVEPOINT message").execute()
            throw error
        }
    }
}
