import Foundation
import IntakeCore
import XCTest
import Yams

/// Real-world answers in every language (Fixtures/corpus/<lang>.yaml), each with how it must be read:
/// answers to a question, first messages (which form they start), answers to the privacy question.
/// Every entry runs through the engine as a contributor's message would.
final class AnswerCorpusTests: XCTestCase {
    struct Entry: Decodable {
        let kind: String
        let form: String?
        let field: String?
        let text: String
        let expect: [String]?
        let issue: String?
        let command: String?

        enum CodingKeys: String, CodingKey { case kind, form, field, text, expect, issue, command }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            kind = try container.decode(String.self, forKey: .kind)
            form = try container.decodeIfPresent(String.self, forKey: .form)
            field = try container.decodeIfPresent(String.self, forKey: .field)
            text = try container.decode(String.self, forKey: .text)
            // `expect` is a list of values, or one value ("yes").
            if let list = try? container.decodeIfPresent([String].self, forKey: .expect) {
                expect = list
            } else {
                expect = try container.decodeIfPresent(String.self, forKey: .expect).map { [$0] }
            }
            issue = try container.decodeIfPresent(String.self, forKey: .issue)
            command = try container.decodeIfPresent(String.self, forKey: .command)
        }
    }

    static let folder = TestCatalog.root.appendingPathComponent("Tests/IntakeCoreTests/Fixtures/corpus")
    let engine = Engine(catalog: TestCatalog.shared)
    let consented = Contributor(consentedVersion: TestCatalog.shared.privacyNoticeVersion)

    func corpus(_ language: String) throws -> [Entry] {
        let text = try String(contentsOf: Self.folder.appendingPathComponent("\(language).yaml"), encoding: .utf8)
        return try YAMLDecoder().decode([Entry].self, from: text)
    }

    func testTheCorpusIsLargeAndCoversEveryLanguageAndForm() throws {
        var total = 0
        for language in LanguageParityTests.languages {
            let entries = try corpus(language)
            total += entries.count
            for form in TestCatalog.shared.forms {
                let firsts = entries.filter { $0.kind == "first" && $0.expect?.first == form.id || $0.kind == "first" && $0.form == form.id }
                XCTAssertGreaterThanOrEqual(firsts.count, 10, "\(language): first messages for \(form.id)")
            }
            XCTAssertGreaterThanOrEqual(entries.filter { $0.kind == "answer" }.count, 30, "\(language): answers")
        }
        XCTAssertGreaterThanOrEqual(total, 150)
    }

    func testEveryAnswerIsReadAsExpected() throws {
        for language in LanguageParityTests.languages {
            for entry in try corpus(language) where entry.kind == "answer" {
                check(entry, language: language)
            }
        }
    }

    func testEveryFirstMessageStartsTheExpectedForm() throws {
        for language in LanguageParityTests.languages {
            for entry in try corpus(language) where entry.kind == "first" {
                let turn = engine.handle(entry.text, state: nil, language: language, channel: .whatsapp, contributor: consented)
                let expected = entry.form ?? entry.expect?.first
                XCTAssertEqual(turn.state.form ?? "none", expected, "\(language) first message: \(entry.text)")
            }
        }
    }

    func testEveryAnswerToThePrivacyQuestionIsReadAsExpected() throws {
        for language in LanguageParityTests.languages {
            for entry in try corpus(language) where entry.kind == "consent" {
                let notice = engine.handle("hello", state: nil, language: language, channel: .whatsapp)
                XCTAssertEqual(notice.state.step, .consent)
                let turn = engine.handle(entry.text, state: notice.state, language: language, channel: .whatsapp)
                let reading = turn.consentGiven ? "yes" : turn.event == .declined ? "no" : "unknown"
                XCTAssertEqual(reading, entry.expect?.first, "\(language) consent: \(entry.text)")
            }
        }
    }

    /// One answer, typed at its question in a conversation on WhatsApp.
    private func check(_ entry: Entry, language: String) {
        let what = "\(language) \(entry.form ?? "?").\(entry.field ?? "?"): \(entry.text)"
        guard let formId = entry.form, let form = TestCatalog.shared.form(formId), let fieldId = entry.field, let field = form.field(fieldId) else {
            return XCTFail("unknown form or field: \(what)")
        }
        var state = ConversationState(language: language, channel: .whatsapp)
        state.form = formId
        state.step = .question
        state.field = fieldId
        let turn = engine.handle(entry.text, state: state, language: language, channel: .whatsapp)
        if let command = entry.command {
            XCTAssertEqual(describe(Command.parse(entry.text, catalog: TestCatalog.shared, language: language)), command, what)
            if command == "none" || command == "skip", !field.required {
                XCTAssertTrue(turn.state.skipped.contains(fieldId), "\(what): an optional question is left empty")
            }
        } else if let expected = entry.expect {
            XCTAssertEqual(turn.state.answers[fieldId]?.values, expected, "\(what) → \(turn.replies.map(\.text).joined(separator: " | "))")
        } else if let issue = entry.issue {
            XCTAssertNil(turn.state.answers[fieldId], what)
            let validator = FieldValidator(catalog: TestCatalog.shared, language: language)
            guard case .failure(let found) = validator.validate(entry.text, for: field) else { return XCTFail("\(what): accepted, expected \(issue)") }
            XCTAssertEqual(found.key.rawValue, issue, what)
            XCTAssertFalse(turn.replies.map(\.text).joined().contains("{"), "\(what): a placeholder in \(turn.replies)")
        } else {
            XCTFail("\(what): an entry needs expect, issue or command")
        }
    }

    private func describe(_ command: Command?) -> String {
        switch command {
        case nil: return "nil"
        case .help?: return "help"
        case .back?: return "back"
        case .skip?: return "skip"
        case .restart?: return "restart"
        case .stop?: return "stop"
        case .summary?: return "summary"
        case .confirm?: return "confirm"
        case .erase?: return "erase"
        case .resume?: return "resume"
        case .none?: return "none"
        case .language(let code)?: return "language \(code ?? "?")"
        case .edit(let number)?: return number.map { "edit \($0)" } ?? "edit"
        case .status(let reference)?: return reference.map { "status \($0)" } ?? "status"
        }
    }
}
