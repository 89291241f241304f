import GRDB

/// Records share one column naming rule: snake_case in SQLite, camelCase in Swift.
public protocol IntakeRecord: Codable, FetchableRecord, MutablePersistableRecord {}

extension IntakeRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}
