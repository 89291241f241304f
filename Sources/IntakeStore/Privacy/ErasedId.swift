import Crypto
import Foundation
import IntakeCore
import GRDB

/// The id an erased message keeps: a keyed hash of its channel and provider id. A redelivery of the
/// same message is still recognised (and not answered twice), but the id no longer says anything
/// about the sender (a WhatsApp id encodes the phone number; an email's Message-ID may name the sender).
enum ErasedId {
    static let prefix = "erased:"

    static func make(channel: Channel, externalId: String, key: Data) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data((channel.rawValue + "\u{0}" + externalId).utf8), using: SymmetricKey(data: key))
        return prefix + Hex.lowercase(mac)
    }

    /// This database's key, made on first use (random, never leaves the database).
    static func key(_ db: Database) throws -> Data {
        try AppSecret.key(named: "erased_id", db: db)
    }

    /// Whether `externalId` on `channel` belongs to a message erased earlier.
    static func wasErased(channel: Channel, externalId: String, db: Database) throws -> Bool {
        guard let key = try Data.fetchOne(db.cachedStatement(sql: "SELECT value FROM app_secret WHERE name = 'erased_id'")) else { return false }
        return try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM inbound WHERE channel = ? AND external_id = ?)"),
            arguments: [channel, make(channel: channel, externalId: externalId, key: key)]) ?? false
    }
}

/// Replaces whole-word occurrences of exact values (an address inside a note), never parts of longer words or numbers.
enum ExactToken {
    static func replace(_ values: Set<String>, in text: String, with replacement: String) -> String {
        var result = text
        for value in values.sorted(by: { $0.count > $1.count }) where !value.isEmpty {
            var output = ""
            var rest = Substring(result)
            while let range = rest.range(of: value, options: .caseInsensitive) {
                let before = rest[..<range.lowerBound].last
                let after = rest[range.upperBound...].first
                let bounded = !(before.map(isWordCharacter) ?? false) && !(after.map(isWordCharacter) ?? false)
                output += rest[..<range.lowerBound]
                output += bounded ? replacement : String(rest[range])
                rest = rest[range.upperBound...]
            }
            result = output + rest
        }
        return result
    }

    private static func isWordCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "@" || c == "_" || c == "+"
    }
}
