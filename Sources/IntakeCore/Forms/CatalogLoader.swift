import Foundation
import Yams

/// Loads and checks `prompts/`: forms and option lists from `forms/`, one folder per language.
/// Every language must have every text the default language has, so adding a language is only files.
public enum CatalogLoader {
    public static func load(directory: String, defaultLanguage: String = "en") throws -> Catalog {
        let files = FileReader(root: directory)
        let options = try loadOptions(files)
        let (formIds, privacyVersion) = try files.read("forms/index.yaml") { reader, node in
            (
                try reader.strings(try reader.child(node, "forms", "forms/index.yaml"), "forms"),
                try node["privacy_notice_version"].map { try reader.string($0, "privacy_notice_version") } ?? "1"
            )
        }
        let forms = try formIds.map { id in
            try files.read("forms/\(id).yaml") { reader, node in try FormParser(reader: reader, options: options).form(node, expectedId: id) }
        }
        var languages: [String: LanguagePack] = [:]
        for code in try files.languageFolders() {
            languages[code] = try LanguagePackParser(files: files, code: code).load()
        }
        guard languages[defaultLanguage] != nil else {
            throw CatalogError(file: "\(directory)/\(defaultLanguage)/language.yaml", message: "the default language '\(defaultLanguage)' has no texts")
        }
        for form in forms {
            for other in form.winsOver where !formIds.contains(other) {
                throw CatalogError(file: files.path("forms/\(form.id).yaml"), message: "wins_over names unknown form '\(other)'")
            }
        }
        let catalog = Catalog(
            forms: forms, optionLists: options, languages: languages, defaultLanguage: defaultLanguage, privacyNoticeVersion: privacyVersion)
        try CatalogChecker(catalog: catalog, root: directory).check()
        return catalog
    }

    private static func loadOptions(_ files: FileReader) throws -> [String: [String]] {
        try files.read("forms/options.yaml") { reader, node in
            var lists: [String: [String]] = [:]
            for (key, value) in try reader.mapping(node, "option lists") {
                lists[key] = try reader.strings(value, "option list '\(key)'")
            }
            return lists
        }
    }
}

/// Reads YAML files under the prompts folder, naming the file in every error.
struct FileReader {
    let root: String

    func path(_ relative: String) -> String {
        (root as NSString).appendingPathComponent(relative)
    }

    func read<T>(_ relative: String, _ body: (YAMLReader, Node) throws -> T) throws -> T {
        let full = path(relative)
        guard let data = FileManager.default.contents(atPath: full) else {
            throw CatalogError(file: full, message: "cannot read the file (missing or unreadable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CatalogError(file: full, message: "the file is not UTF-8 text")
        }
        let reader = YAMLReader(file: full)
        return try body(reader, try reader.document(text))
    }

    /// The same for a file that may be absent: nil then.
    func readIfPresent<T>(_ relative: String, _ body: (YAMLReader, Node) throws -> T) throws -> T? {
        guard FileManager.default.fileExists(atPath: path(relative)) else { return nil }
        return try read(relative, body)
    }

    /// Sub-folders holding a `language.yaml`: each is a language.
    func languageFolders() throws -> [String] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else {
            throw CatalogError(file: root, message: "prompts folder not found (set GCR_INTAKE_PROMPTS or --prompts)")
        }
        return entries.filter { FileManager.default.fileExists(atPath: path("\($0)/language.yaml")) }.sorted()
    }
}
