import Crypto
import Foundation
import IntakeCore

/// The web chat's visitor: a random id in an HttpOnly, SameSite=Strict cookie. The id is a bearer secret, so
/// it is never stored or logged: the contact's address is a digest of it.
public struct ChatVisitor: Sendable, Equatable {
    public static let cookieName = "gcr_chat"
    /// The cookie's value: 32 lowercase hex digits (128 random bits).
    public let secret: String

    /// A cookie value read from a request; nil unless it has the shape we issue.
    public init?(cookie: String?) {
        guard let cookie, cookie.utf8.count == 32, cookie.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        secret = cookie
    }

    /// A new visitor.
    public static func mint() -> ChatVisitor {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return ChatVisitor(secret: Hex.lowercase(bytes))
    }

    private init(secret: String) { self.secret = secret }

    /// The contact address on the "web" channel: "w" and 31 hex digits of the id's SHA-256.
    public var address: String { "w" + Hex.lowercase(SHA256.hash(data: Data(secret.utf8))).prefix(31) }
}
