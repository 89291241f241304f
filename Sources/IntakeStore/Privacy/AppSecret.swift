import Foundation
import GRDB

/// Random keys that never leave the database (table app_secret), made on first use: the key of erased
/// ids, the key that signs the web chat's visitor cookies.
public enum AppSecret {
    public static func key(named name: String, db: Database) throws -> Data {
        if let key = try Data.fetchOne(db, sql: "SELECT value FROM app_secret WHERE name = ?", arguments: [name]) { return key }
        var generator = SystemRandomNumberGenerator()
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try db.execute(sql: "INSERT INTO app_secret (name, value) VALUES (?, ?)", arguments: [name, key])
        return key
    }
}
