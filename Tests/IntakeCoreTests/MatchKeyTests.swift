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

/// The table of folded characters against Foundation's folding of whole texts.
final class ScalarFoldingTests: XCTestCase {
    /// A fixed pseudo-random sequence (the same texts every run; SplitMix64).
    private struct Sequence: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// The key from the table's folding against the key from Foundation's folding of the whole text.
    private func assertSameKey(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let folded = ScalarFolding.fold(text) else { return XCTFail("not in the table: \(text)", file: file, line: line) }
        // Bytes, not `String` equality (which takes canonically equivalent texts as equal): keys are stored
        // and searched byte for byte (the pledge search index).
        XCTAssertEqual(
            Array(MatchKey.key(folded: folded).utf8), Array(MatchKey.key(folded: MatchKey.foundationFolded(text)).utf8),
            "\(text) \(text.unicodeScalars.map { String($0.value, radix: 16) })", file: file, line: line)
    }

    func testFoldingByTableGivesTheKeyOfFoundationsFoldingOfTheWholeText() {
        let known = [
            "Éducation des réfugiés", "ÆØÅ æøå", "Straße", "İstanbul", "ΐΰ Σίσυφος", "Ёлка", "إِعادة التوطين", "ﻻ ﷲ ﺍﻟﻌﺮﺑﻴﺔ", "ＦＵＬＬ ｗｉｄｔｈ１２",
            "e\u{0301}e\u{0308}\u{0327}", "Nguyễn Thị Minh Khai", "ǅǈǋ ǲ", "ﬁﬂ ﬀ", "١٢٣ ۴۵۶", "ß̂", "\u{00A0}\u{2007}\u{202F}", "ΣΊΣΥΦΟΣ",
            "مُساعَدة اللاجئين", "Ω ω Ὦ", "ǰ̌", "ﻵﻷﻹ",
        ]
        for text in known { assertSameKey(text) }
        var random = Sequence(state: 20_261_128)
        let pool = ScalarFolding.blocks.flatMap { $0 }.compactMap(Unicode.Scalar.init) + (0x20..<0x7F).compactMap(Unicode.Scalar.init)
        for _ in 0..<20_000 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 1...8, using: &random) { scalars.append(pool.randomElement(using: &random)!) }
            assertSameKey(String(scalars))
        }
    }

    func testTextsWithCharactersOutsideTheTableAreLeftToFoundation() {
        XCTAssertNil(ScalarFolding.fold("避難民 👍"))
        XCTAssertNil(ScalarFolding.fold("ＦＵＬＬ　ｗｉｄｔｈ"), "the ideographic space is outside")
        XCTAssertNil(ScalarFolding.fold("\u{1100}\u{1161}"))
        XCTAssertNil(ScalarFolding.fold("ﾊﾟ"))
        XCTAssertNil(ScalarFolding.fold("Η\u{0345}"))
        XCTAssertEqual(MatchKey.make("避難民 Éducation"), MatchKey.foldedKey("避難民 Éducation"))
    }
}
