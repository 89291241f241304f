import IntakeCore
import XCTest

/// Whatever arrives, the engine answers with a clear hint or keeps the text verbatim; it never crashes.
final class HostileInputTests: XCTestCase {
    private func atTitle() -> Dialogue {
        var d = Dialogue()
        d.begin("1")
        return d
    }

    func testEmptyLineGetsAHint() {
        var d = atTitle()
        let text = d.say("")
        XCTAssertTrue(text.hasPrefix("Please type an answer."), text)
        XCTAssertEqual(d.field, "title")
    }

    func testHundredKilobyteLineIsRefusedWithItsLength() {
        var d = atTitle()
        let text = d.say(String(repeating: "x", count: 100_000))
        XCTAssertTrue(text.contains("at most 150 characters (you wrote 100000)"), text)
        XCTAssertEqual(d.field, "title")
        var e = Dialogue()
        e.say(String(repeating: "y", count: 100_000))  // as a first message too
        XCTAssertEqual(e.state?.step, .consent)
    }

    func testControlCharactersAreRefusedPlainly() {
        var d = atTitle()
        let text = d.say("Solar\u{0007}schools\u{001B}[31m")
        XCTAssertTrue(text.contains("control characters"), text)
        XCTAssertEqual(d.field, "title")
    }

    func testEmojiArabicAndSQLLookingTextAreStoredVerbatim() {
        for title in ["☀️ Écoles solaires 📚", "مدارس تعمل بالطاقة الشمسية", "Robert'); DROP TABLE submission;--", "\u{202E}reversed\u{202C} text"] {
            var d = atTitle()
            d.say(title)
            XCTAssertEqual(d.answers["title"], .text(title))
            XCTAssertEqual(d.field, "submitter_name")
        }
    }

    func testPlaceholdersTypedByAContributorAreNotExpanded() {
        var d = atTitle()
        d.sayAll(["{label} {value} {reference}", "Amina"])
        let text = d.say("summary")
        XCTAssertTrue(text.contains("1. Title: {label} {value} {reference}"), text)
    }

    func testRandomInputNeverCrashesAndAlwaysAnswers() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab1 2,;.-?\n\t\u{0000}é😀ش\u{200F}{}'\"%_*") + ["\r\n"]
        var d = Dialogue()
        for _ in 0..<2000 {
            let length = Int.random(in: 0...40, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            let replies = d.say(text)
            XCTAssertFalse(replies.isEmpty && d.state?.step != .submitted, "no reply to \(text.debugDescription)")
        }
    }
}
