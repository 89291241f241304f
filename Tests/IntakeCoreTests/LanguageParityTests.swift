import Foundation
import IntakeCore
import XCTest
import Yams

/// Every language says everything, and says it short enough for one WhatsApp or SMS-friendly message.
final class LanguageParityTests: XCTestCase {
    static let prompts = TestCatalog.root.appendingPathComponent("prompts")
    static let templates = TestCatalog.root.appendingPathComponent("templates")
    static let languages = ["en", "fr", "es", "ar"]

    /// "invalid.too_long", "good_practice.fields.title.question": every key path of a YAML file.
    private func keys(_ file: URL) throws -> Set<String> {
        let node = try XCTUnwrap(try Yams.compose(yaml: String(contentsOf: file, encoding: .utf8)), file.path)
        var found: Set<String> = []
        func walk(_ node: Node, _ prefix: String) {
            guard let mapping = node.mapping else {
                found.insert(prefix)
                return
            }
            for (key, value) in mapping { walk(value, prefix.isEmpty ? key.string! : prefix + "." + key.string!) }
        }
        walk(node, "")
        // A country's aliases are extra spellings where a language has them, not texts to translate.
        return found.filter { !$0.hasSuffix(".aliases") }
    }

    func testEveryPromptKeyExistsInEveryLanguage() throws {
        // Folders only: prompts/whatsapp.yaml sits next to them.
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.prompts.path).filter { name in
            var isFolder: ObjCBool = false
            return name != "forms" && FileManager.default.fileExists(atPath: Self.prompts.appendingPathComponent(name).path, isDirectory: &isFolder) && isFolder.boolValue
        }.sorted()
        XCTAssertEqual(Set(folders), Set(Self.languages), "a language folder was added or removed: update this test's list")
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.prompts.appendingPathComponent("en").path).sorted()
        XCTAssertEqual(files, ["commands.yaml", "countries.yaml", "forms.yaml", "language.yaml", "messages.yaml", "options.yaml", "synonyms.yaml"])
        // Synonyms are the words each language has for an option, not texts to translate one for one.
        for file in files where file != "synonyms.yaml" {
            let reference = try keys(Self.prompts.appendingPathComponent("en/\(file)"))
            XCTAssertGreaterThan(reference.count, 3, file)
            for language in Self.languages.dropFirst() {
                let other = try keys(Self.prompts.appendingPathComponent("\(language)/\(file)"))
                XCTAssertEqual(reference.subtracting(other).sorted(), [], "\(language)/\(file) lacks keys that en has")
                XCTAssertEqual(other.subtracting(reference).sorted(), [], "\(language)/\(file) has keys that en lacks")
            }
        }
    }

    func testEveryTemplateExistsInEveryLanguage() throws {
        let english = Set(try FileManager.default.contentsOfDirectory(atPath: Self.templates.appendingPathComponent("en").path))
        XCTAssertEqual(english.count, 15)
        for language in Self.languages.dropFirst() {
            let other = Set(try FileManager.default.contentsOfDirectory(atPath: Self.templates.appendingPathComponent(language).path))
            XCTAssertEqual(english.symmetricDifference(other).sorted(), [], "templates/\(language) differs from templates/en")
        }
    }

    func testEveryQuestionFitsInOneShortMessageInEveryLanguage() {
        let engine = Engine(catalog: TestCatalog.shared)
        var checked = 0
        for language in Self.languages {
            for form in TestCatalog.shared.forms {
                for field in form.fields {
                    var state = ConversationState(language: language, channel: .whatsapp)
                    state.form = form.id
                    state.step = .question
                    state.field = field.id
                    let question = engine.resume(state).last!.text
                    XCTAssertTrue(question.contains(TestCatalog.shared.pack(language).fieldTexts(form: form.id, field: field.id).question))
                    XCTAssertLessThanOrEqual(question.count, 640, "\(language) \(form.id).\(field.id): \(question.count) characters")
                    let help = TestCatalog.shared.pack(language).fieldTexts(form: form.id, field: field.id).help ?? ""
                    XCTAssertLessThanOrEqual(help.count, 640, "\(language) \(form.id).\(field.id) help")
                    checked += 1
                }
            }
            for (key, message) in TestCatalog.shared.pack(language).messages {
                XCTAssertLessThanOrEqual(message.count, 640, "\(language) \(key)")
            }
            let opening = engine.handle("hello", state: nil, language: language, channel: .whatsapp).replies
            XCTAssertEqual(opening.count, 1)
            XCTAssertLessThanOrEqual(opening[0].text.count, 640, "\(language) greeting with the privacy notice")
        }
        XCTAssertEqual(checked, 4 * (18 + 15 + 10))
    }

    func testTheFirstMessageChoosesTheLanguage() {
        let cases = [
            ("Hello, we would like to share a practice", "en"), ("Bonjour, je voudrais partager une pratique", "fr"),
            ("Hola, quisiera compartir una buena práctica de nuestra organización", "es"), ("مرحبا، أريد مشاركة ممارسة جيدة", "ar"),
            ("السلام عليكم", "ar"), ("Buenos días, gracias", "es"),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(LanguageDetector.detect(text, catalog: TestCatalog.shared), expected, text)
            var d = Dialogue(language: LanguageDetector.detect(text, catalog: TestCatalog.shared) ?? "en")
            let reply = d.say(text)
            XCTAssertTrue(reply.contains(TestCatalog.shared.pack(expected).message(.consentQuestion)), reply)
        }
        XCTAssertNil(LanguageDetector.detect("12345", catalog: TestCatalog.shared))
    }

    func testLanguageCanBeChangedAnyTimeWithEachLanguagesWord() {
        var d = Dialogue(language: "ar")
        d.begin("مرحبا")
        for (command, expected) in [("language es", "es"), ("langue fr", "fr"), ("لغة ar", "ar"), ("idioma en", "en"), ("lengua árabe", "ar")] {
            d.say(command)
            XCTAssertEqual(d.state?.language, expected, command)
        }
        let list = d.say("لغة")
        XCTAssertTrue(list.contains("Español (es)") && list.contains("العربية (ar)"), list)
    }
}
