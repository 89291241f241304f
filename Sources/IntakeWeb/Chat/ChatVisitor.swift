import Crypto
import Foundation
import IntakeCore

/// The web chat's visitor: a random id in an HttpOnly, SameSite=Strict cookie, signed with a key that never
/// leaves the database (`ID.MAC`), so only ids this service issued are accepted: a chosen or planted value
/// is refused. The id is a bearer secret, never stored or logged: the contact's address is a digest of it.
public struct ChatVisitor: Sendable, Equatable {
    public static let cookieName = "gcr_chat"
    /// 32 lowercase hex digits (128 random bits).
    public let secret: String

    /// A cookie value read from a request; nil unless it is one we issued (shape and signature).
    public init?(cookie: String?, key: Data) {
        guard let cookie, cookie.utf8.count == 65 else { return nil }
        let parts = cookie.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let id = parts.first.map(String.init), Self.isHex(id, count: 32), Self.isHex(String(parts[1]), count: 32) else { return nil }
        let expected = Array(Self.mac(id, key: key).utf8)
        let given = Array(parts[1].utf8)
        // Compared in constant time.
        guard expected.count == given.count, zip(expected, given).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return nil }
        secret = id
    }

    /// A new visitor.
    public static func mint() -> ChatVisitor {
        var generator = SystemRandomNumberGenerator()
        return ChatVisitor(secret: Hex.lowercase((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }))
    }

    private init(secret: String) { self.secret = secret }

    /// The cookie's value: the id and its signature.
    public func cookie(key: Data) -> String { secret + "." + Self.mac(secret, key: key) }

    /// The contact address on the "web" channel: "w" and 31 hex digits of the id's SHA-256.
    public var address: String { "w" + Hex.lowercase(SHA256.hash(data: Data(secret.utf8))).prefix(31) }

    private static func mac(_ id: String, key: Data) -> String {
        Hex.lowercase(HMAC<SHA256>.authenticationCode(for: Data(id.utf8), using: SymmetricKey(data: key)).prefix(16))
    }

    private static func isHex(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
