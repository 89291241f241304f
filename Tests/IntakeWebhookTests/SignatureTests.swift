import Foundation
import IntakeWebhook
import XCTest

/// The signatures the providers send (WhatsApp's X-Hub-Signature-256, our generic hook's X-Intake-Signature)
/// and Telegram's secret token, checked without a server.
final class SignatureTests: XCTestCase {
    /// RFC 4231-style public vector: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
    let body = Data("The quick brown fox jumps over the lazy dog".utf8)
    let expected = "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"

    func testTheSignatureIsTheHexHMACOfTheRawBody() {
        XCTAssertEqual(Signature.sign(body, secret: "key"), expected)
        XCTAssertTrue(Signature.verify(body, header: expected, secret: "key"))
        XCTAssertTrue(Signature.verify(body, header: "sha256=" + expected.dropFirst(7).uppercased(), secret: "key"), "hex digits in either case")
    }

    func testAnythingElseIsRefused() {
        XCTAssertFalse(Signature.verify(body, header: nil, secret: "key"))
        XCTAssertFalse(Signature.verify(body, header: String(expected.dropFirst(7)), secret: "key"), "without sha256=")
        XCTAssertFalse(Signature.verify(body, header: "sha1=" + expected.dropFirst(7), secret: "key"))
        XCTAssertFalse(Signature.verify(body + Data(" ".utf8), header: expected, secret: "key"), "one byte more in the body")
        XCTAssertFalse(Signature.verify(body, header: expected, secret: "kez"), "another secret")
        XCTAssertFalse(Signature.verify(body, header: String(expected.dropLast()), secret: "key"), "one digit short")
        XCTAssertFalse(Signature.verify(body, header: "", secret: "key"))
    }

    func testOnlyTheShapeOfASignatureIsReadBeforeTheBody() {
        XCTAssertTrue(Signature.isWellFormed(expected))
        XCTAssertTrue(Signature.isWellFormed(expected.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256=")))
        XCTAssertFalse(Signature.isWellFormed(String(expected.dropLast())), "70 characters")
        XCTAssertFalse(Signature.isWellFormed(expected + "0"), "72 characters")
        XCTAssertFalse(Signature.isWellFormed("sha256=" + String(repeating: "g", count: 64)), "not hex")
        XCTAssertFalse(Signature.isWellFormed("sha512=" + expected.dropFirst(7)))
        XCTAssertFalse(Signature.isWellFormed("sha256=" + String(repeating: "é", count: 32)), "64 bytes that are no hex digits")
    }

    func testTelegramsTokenMustMatchExactly() {
        XCTAssertTrue(Signature.tokenMatches("s3cr3t-T0ken_", "s3cr3t-T0ken_"))
        XCTAssertFalse(Signature.tokenMatches(nil, "s3cr3t-T0ken_"))
        XCTAssertFalse(Signature.tokenMatches("s3cr3t-T0ken", "s3cr3t-T0ken_"), "a prefix")
        XCTAssertFalse(Signature.tokenMatches("S3cr3t-T0ken_", "s3cr3t-T0ken_"), "case counts")
        XCTAssertFalse(Signature.tokenMatches("", "s3cr3t-T0ken_"))
    }
}
