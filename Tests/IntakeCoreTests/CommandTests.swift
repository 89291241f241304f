import Foundation
import IntakeCore
import XCTest

final class CommandTests: XCTestCase {
    let catalog = TestCatalog.shared

    private func parse(_ text: String, _ language: String = "en") -> Command? {
        Command.parse(text, catalog: catalog, language: language)
    }

    func testEveryCommandWordOfEveryLanguageIsRecognisedInAnyConversationLanguage() {
        let expected: [String: Command] = [
            "help": .help, "back": .back, "skip": .skip, "restart": .restart, "stop": .stop, "summary": .summary, "confirm": .confirm,
            "language": .language(nil), "edit": .edit(nil),
        ]
        for code in catalog.languageCodes {
            for (name, command) in expected {
                let words = catalog.pack(code).words(name)
                XCTAssertFalse(words.isEmpty, "\(code) has no word for \(name)")
                for word in words {
                    // "resume" is English for resume and French (résumé) for summary: in a conversation whose
                    // own language has the word for another command, that language wins (tested below).
                    for conversation in catalog.languageCodes where code == conversation || !ownWord(word, conversation) {
                        XCTAssertEqual(parse(word, conversation), command, "\(code) '\(word)' in a \(conversation) conversation")
                        XCTAssertEqual(parse(word.uppercased(), conversation), command, "\(code) '\(word)' in capitals")
                    }
                }
            }
        }
    }

    /// The word is a command word of `language` too, or means different commands in different languages
    /// (then the conversation's language, or the default, decides).
    private func ownWord(_ word: String, _ language: String) -> Bool {
        let key = MatchKey.make(word)
        if catalog.pack(language).commandKeys.values.contains(where: { $0.contains(key) }) { return true }
        let meanings = Set(catalog.languageCodes.compactMap { code in catalog.pack(code).commandKeys.first { $0.value.contains(key) }?.key })
        return meanings.count > 1
    }

    func testFrenchSeedWordsWork() {
        XCTAssertEqual(parse("aide", "en"), .help)
        XCTAssertEqual(parse("Retour", "fr"), .back)
        XCTAssertEqual(parse("passer"), .skip)
        XCTAssertEqual(parse("recommencer"), .restart)
        XCTAssertEqual(parse("arrêter"), .stop)
        XCTAssertEqual(parse("arreter"), .stop)
        XCTAssertEqual(parse("résumé", "fr"), .summary)
        XCTAssertEqual(parse("resume", "fr"), .summary, "French without accents")
        XCTAssertEqual(parse("resume", "en"), .resume, "the contributor's language decides a word two languages share")
        XCTAssertEqual(parse("modifier 3"), .edit(3))
        XCTAssertEqual(parse("langue en"), .language("en"))
    }

    func testCommandsWithArguments() {
        XCTAssertEqual(parse("edit 12"), .edit(12))
        XCTAssertEqual(parse("EDIT 2"), .edit(2))
        XCTAssertEqual(parse("edit ٣"), .edit(3))
        XCTAssertEqual(parse("language fr"), .language("fr"))
        XCTAssertEqual(parse("language French"), .language("fr"))
        XCTAssertEqual(parse("langue français"), .language("fr"))
        XCTAssertEqual(parse("language xx"), .language(nil))
        XCTAssertNil(parse("language klingon"), "a long unknown word after 'language' is an answer (\"Language classes\")")
        XCTAssertEqual(parse("?"), .help)
    }

    func testEveryWordOfTheCommandsWithArgumentsTakesItsArgumentInEveryConversationLanguage() {
        for code in catalog.languageCodes {
            for word in catalog.pack(code).words("edit") {
                for conversation in catalog.languageCodes {
                    XCTAssertEqual(parse("\(word) 4", conversation), .edit(4), "\(code) '\(word) 4' in a \(conversation) conversation")
                }
            }
            // A status phrase that is a question ("¿cómo va mi envío?") takes no reference after its mark.
            for word in catalog.pack(code).words("status") where !word.contains("?") && !word.contains("؟") {
                XCTAssertEqual(parse("\(word) gcr-pl-7", code), .status("GCR-PL-000007"), "\(code) '\(word) gcr-pl-7'")
            }
            for word in catalog.pack(code).words("language") {
                XCTAssertEqual(parse("\(word) es", code), .language("es"), "\(code) '\(word) es'")
            }
        }
    }

    func testStartingTrimmedTextIsTheSameAsFoundations() {
        let samples = [
            "  hello  ", "\n\t مرحبا \r\n", "\u{00A0}oui\u{3000}", "\u{2028}x\u{2029}", "\u{200B}zero width\u{200B}", "   ", "", "a",
            "\u{0085}next line\u{000B}", "\u{FEFF}bom", "\u{180E}mongolian\u{180E}", "\u{205F}\u{202F}narrow\u{2007}", "e\u{0301} ", " \u{1F44B}🏽 ",
        ]
        for text in samples {
            XCTAssertEqual(text.trimmedSpace, text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    func testAnswersThatMerelyContainCommandWordsAreAnswers() {
        XCTAssertNil(parse("Back to school programme"))
        XCTAssertNil(parse("Help desk for refugees"))
        XCTAssertNil(parse("language barriers were the main challenge"))
        XCTAssertNil(parse("edit the document"))
        XCTAssertNil(parse("Aide alimentaire d'urgence"))
        XCTAssertNil(parse(""))
        XCTAssertNil(parse(String(repeating: "help ", count: 1000)))
    }
}
