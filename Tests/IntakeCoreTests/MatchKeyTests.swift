@testable import IntakeCore
import XCTest

/// The fast path for plain ASCII gives exactly the key the general folding gives.
final class MatchKeyTests: XCTestCase {
    func testTheASCIIFastPathAgreesWithTheGeneralFolding() {
        var generator = SystemRandomNumberGenerator()
        let samples = ["", "  Yes! ", "edit 3", "GCR-PL-000001", "don't", "a_b", "?", "Q&A", "x@y.org", "+254 700", "\t\n\u{0}\u{7F}"]
        for text in samples {
            XCTAssertEqual(MatchKey.asciiKey(text), MatchKey.foldedKey(text), text.debugDescription)
        }
        for _ in 0..<5_000 {
            let text = String(decoding: (0..<Int.random(in: 0...24, using: &generator)).map { _ in UInt8.random(in: 0...127, using: &generator) }, as: UTF8.self)
            XCTAssertEqual(MatchKey.asciiKey(text), MatchKey.foldedKey(text), text.debugDescription)
        }
        XCTAssertNil(MatchKey.asciiKey("café"), "anything else takes the general path")
        XCTAssertEqual(MatchKey.make("Café  Ñandú"), "cafe nandu")
    }
}
