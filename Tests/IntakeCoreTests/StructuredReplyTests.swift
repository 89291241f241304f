import Foundation
import IntakeCore
import XCTest

/// Structured replies from Fixtures/structured: each file holds a header (form, language, the answers
/// expected, the questions expected back) and, after a line "---", an email body as a contributor wrote it.
final class StructuredReplyTests: XCTestCase {
    struct Case {
        let name: String
        let form: String
        let language: String
        let html: Bool
        /// Plain messages sent before the structured one (earlier emails).
        let before: [String]
        let expect: [String: Any]
        let pending: [String]
        /// For a plain answer to the current question: the question asked next, as in a chat.
        let next: String?
        let body: String
    }

    static func cases() throws -> [Case] {
        let folder = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/structured", withExtension: nil))
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }.sorted().map { name in
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            guard let split = text.range(of: "\n---\n") else { throw CaseError("\(name): no --- line") }
            var header: [String: String] = [:]
            for line in text[..<split.lowerBound].split(separator: "\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                header[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            func json(_ key: String, _ fallback: String) throws -> Any {
                try JSONSerialization.jsonObject(with: Data((header[key] ?? fallback).utf8), options: [.fragmentsAllowed])
            }
            return Case(
                name: name, form: try XCTUnwrap(header["form"], name), language: try XCTUnwrap(header["language"], name), html: header["html"] == "yes",
                before: try json("before", "[]") as? [String] ?? [], expect: try json("expect", "{}") as? [String: Any] ?? [:],
                pending: try json("pending", "[]") as? [String] ?? [], next: header["next"], body: String(text[split.upperBound...]))
        }
    }

    struct CaseError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Starts the form by email in the case's language: first message, consent, the form's number.
    static func started(_ form: String, language: String) -> Dialogue {
        var d = Dialogue(language: language, channel: .email)
        let number = TestCatalog.shared.forms.firstIndex { $0.id == form }! + 1
        d.say("hello")
        d.say(TestCatalog.shared.pack(language).words("yes").first!)
        d.say(String(number))
        return d
    }

    func testTheCorpusOfStructuredRepliesGivesExactlyTheExpectedAnswers() throws {
        let cases = try Self.cases()
        XCTAssertGreaterThanOrEqual(cases.count, 30)
        XCTAssertEqual(Set(cases.map(\.language)), ["en", "fr", "es", "ar"])
        for c in cases {
            var d = Self.started(c.form, language: c.language)
            XCTAssertTrue(d.lastReplies.contains { $0.text.contains("[1] ") }, "\(c.name): the template went out")
            for message in c.before { d.say(message) }
            let full = c.html ? HTMLText.plainText(c.body) : c.body
            d.sayEmail(full)
            let answers = try JSONSerialization.jsonObject(with: JSONEncoder().encode(d.answers)) as! NSDictionary
            XCTAssertEqual(answers, c.expect as NSDictionary, "\(c.name): answers")
            if let next = c.next {
                XCTAssertEqual(d.field, next, "\(c.name): read as a plain answer to the current question")
                XCTAssertEqual(StructuredReplyTests.listedFields(d.lastReplies.map(\.text).joined(separator: "\n"), form: c.form, language: c.language), [])
            } else if c.pending.isEmpty {
                XCTAssertEqual(d.state?.step, .summary, "\(c.name): everything answered, the summary follows\n\(d.lastReplies.map(\.text).joined(separator: "\n"))")
            } else {
                XCTAssertEqual(d.state?.step, .question, c.name)
                XCTAssertEqual(d.field, c.pending.first, "\(c.name): the first pending question is the current one")
                let text = d.lastReplies.last?.text ?? ""
                let listed = StructuredReplyTests.listedFields(text, form: c.form, language: c.language)
                XCTAssertEqual(listed, c.pending, "\(c.name): exactly the missing or invalid questions come back\n\(text)")
            }
        }
    }

    /// The field ids of the "[N] Label" lines of a reply.
    static func listedFields(_ text: String, form: String, language: String) -> [String] {
        let fields = StructuredReply.Layout.fields(form: TestCatalog.shared.form(form)!, channel: .email)
        return text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("["), let close = line.firstIndex(of: "]"), let number = Int(line[line.index(after: line.startIndex)..<close]) else { return nil }
            return fields[number - 1].id
        }
    }
}
