import Crypto
import Foundation
import IntakeCore

/// HMAC-SHA256 signatures as the providers send them: `sha256=<hex>` of the raw body.
public enum Signature {
    public static func sign(_ body: Data, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + Hex.lowercase(mac)
    }


    /// Whether `header` is the signature of `body`; compared in constant time.
    public static func verify(_ body: Data, header: String?, secret: String) -> Bool {
        guard let header, header.hasPrefix("sha256=") else { return false }
        return constantTimeEqual(Array(header.lowercased().utf8), Array(sign(body, secret: secret).utf8))
    }

    /// Whether `header` has the shape of a signature (`sha256=` and 64 hex digits): anything else is
    /// refused before the body is read.
    public static func isWellFormed(_ header: String) -> Bool {
        let utf8 = header.utf8
        guard utf8.count == 71, header.hasPrefix("sha256=") else { return false }
        return utf8.dropFirst(7).allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0 | 0x20) }
    }

    /// Equal strings (a shared token), compared in constant time.
    public static func tokenMatches(_ given: String?, _ expected: String) -> Bool {
        guard let given else { return false }
        return constantTimeEqual(Array(given.utf8), Array(expected.utf8))
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
