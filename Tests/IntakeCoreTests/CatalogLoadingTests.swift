import Foundation
import IntakeCore
import XCTest

final class CatalogLoadingTests: XCTestCase {
    func testRepositoryPromptsLoadWithThreeFormsAndBothSeedLanguages() throws {
        let catalog = TestCatalog.shared
        XCTAssertEqual(catalog.forms.map(\.id), ["good_practice", "pledge", "pledge_update"])
        XCTAssertTrue(Set(["en", "fr"]).isSubset(of: Set(catalog.languages.keys)))
        XCTAssertEqual(catalog.form("good_practice")?.fields.count, 18)
        XCTAssertEqual(catalog.form("pledge")?.fields.count, 15)
        XCTAssertEqual(catalog.form("pledge_update")?.fields.count, 10)
        XCTAssertEqual(catalog.form("pledge_update")?.field("pledge_reference")?.type, .pledge)
        XCTAssertEqual(catalog.form("pledge")?.field("amount_usd")?.relevant, .includes(field: "support_type", value: "financial"))
    }

    func testEveryTextKeyExistsInEveryLanguage() throws {
        let catalog = TestCatalog.shared
        for a in catalog.languageCodes {
            for b in catalog.languageCodes where a != b {
                let (pa, pb) = (catalog.pack(a), catalog.pack(b))
                XCTAssertEqual(Set(pa.messages.keys).subtracting(pb.messages.keys), [], "messages in \(a) but not \(b)")
                XCTAssertEqual(Set(pa.commands.keys).subtracting(pb.commands.keys), [], "commands in \(a) but not \(b)")
                for (form, texts) in pa.forms {
                    XCTAssertEqual(Set(texts.fields.keys).subtracting(pb.forms[form]?.fields.keys ?? [:].keys), [], "fields of \(form) in \(a) but not \(b)")
                    let helpA = Set(texts.fields.filter { $0.value.help != nil }.keys)
                    let helpB = Set(pb.forms[form]?.fields.filter { $0.value.help != nil }.keys ?? [:].keys)
                    XCTAssertEqual(helpA.subtracting(helpB), [], "help texts of \(form) in \(a) but not \(b)")
                }
                for (list, labels) in pa.options {
                    XCTAssertEqual(Set(labels.keys).subtracting(pb.options[list]?.keys ?? [:].keys), [], "labels of \(list) in \(a) but not \(b)")
                }
            }
        }
    }

    func testMissingFileIsAnErrorNamingTheFile() throws {
        let dir = try copyOfPrompts()
        try FileManager.default.removeItem(atPath: dir + "/fr/commands.yaml")
        XCTAssertThrowsError(try CatalogLoader.load(directory: dir)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("fr/commands.yaml"), text)
        }
    }

    func testMalformedYAMLIsAnErrorNamingFileAndLine() throws {
        let dir = try copyOfPrompts()
        let path = dir + "/fr/messages.yaml"
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        lines.insert("broken: [unclosed, list", at: 4)
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CatalogLoader.load(directory: dir)) { error in
            guard let error = error as? CatalogError else { return XCTFail("\(error)") }
            XCTAssertTrue(error.file.hasSuffix("fr/messages.yaml"))
            XCTAssertNotNil(error.line)
            XCTAssertTrue((5...8).contains(error.line ?? 0), "line \(String(describing: error.line))")
        }
    }

    func testMissingTranslationStopsLoadingAndNamesTheKey() throws {
        let dir = try copyOfPrompts()
        let path = dir + "/fr/messages.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n").filter { !$0.hasPrefix("greeting:") }
        try text.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CatalogLoader.load(directory: dir)) { error in
            XCTAssertTrue("\(error)".contains("greeting"), "\(error)")
            XCTAssertTrue("\(error)".contains("fr/messages.yaml"), "\(error)")
        }
    }

    /// Every question has help in every language: one missing stops loading, naming the form, field and file.
    func testAQuestionWithoutHelpInOneLanguageStopsLoading() throws {
        let dir = try copyOfPrompts()
        let path = dir + "/es/forms.yaml"
        let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        let start = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("    start_year:") })
        let help = try XCTUnwrap(lines[start...].firstIndex { $0.hasPrefix("      help:") })
        var edited = lines
        edited.remove(at: help)
        try edited.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CatalogLoader.load(directory: dir)) { error in
            XCTAssertTrue("\(error)".contains("help for fields of 'good_practice'") && "\(error)".contains("start_year"), "\(error)")
            XCTAssertTrue("\(error)".contains("es/forms.yaml"), "\(error)")
        }
    }

    /// A text the code uses, missing from every language (the default one included), stops loading too.
    func testAMessageTheCodeUsesMissingEverywhereStopsLoading() throws {
        let dir = try copyOfPrompts()
        for language in try FileManager.default.contentsOfDirectory(atPath: dir) where FileManager.default.fileExists(atPath: "\(dir)/\(language)/messages.yaml") {
            let path = "\(dir)/\(language)/messages.yaml"
            let text = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n").filter { !$0.hasPrefix("media_not_read:") }
            try text.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        XCTAssertThrowsError(try CatalogLoader.load(directory: dir)) { error in
            XCTAssertTrue("\(error)".contains("media_not_read"), "\(error)")
            XCTAssertTrue("\(error)".contains("en/messages.yaml"), "\(error)")
        }
    }

    func testUnknownFieldTypeNamesFileLineAndKnownTypes() throws {
        let dir = try copyOfPrompts()
        let path = dir + "/forms/pledge_update.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "type: long_text", with: "type: essay")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CatalogLoader.load(directory: dir)) { error in
            guard let error = error as? CatalogError else { return XCTFail("\(error)") }
            XCTAssertTrue(error.file.hasSuffix("forms/pledge_update.yaml"))
            XCTAssertNotNil(error.line)
            XCTAssertTrue(error.message.contains("essay") && error.message.contains("long_text"), error.message)
        }
    }

    func testAddingALanguageNeedsOnlyFiles() throws {
        let dir = try copyOfPrompts()
        try FileManager.default.copyItem(atPath: dir + "/en", toPath: dir + "/xx")
        try "name: Test\naliases: [xx, testish]\n".write(toFile: dir + "/xx/language.yaml", atomically: true, encoding: .utf8)
        let catalog = try CatalogLoader.load(directory: dir)
        XCTAssertNotNil(catalog.languages["xx"])
        XCTAssertEqual(catalog.language(named: "testish"), "xx")
    }

    private func copyOfPrompts() throws -> String {
        let dir = NSTemporaryDirectory() + "prompts-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: TestCatalog.promptsPath, toPath: dir)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }
}
