import GRDB

extension IntakeDatabase {
    /// A read-only snapshot, for reports, pages and the CLI's views: a write inside it throws.
    /// Changes go through the store's named methods only.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try writer.read(body)
    }

    /// The same from async code, off the caller's thread.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.read(body)
    }
}
