import Foundation
import IntakeCore
import Hummingbird
import Mustache
import Yams

/// The dashboard's pages (`templates/web/*.mustache`, named without the folder: "dashboard", "layout") and
/// their words per language (`templates/web/strings/<lang>.yaml`, flat key → text). Every language must
/// have every key the default language has: a missing one stops start-up, naming the file.
public struct WebTemplates: Sendable {
    let library: MustacheLibrary
    /// Language code → key → text.
    let strings: [String: [String: String]]
    let defaultLanguage: String
    /// The web chat's script, style sheet and embeddable widget, served as they are.
    let assets: [String: String]

    static let pages = ["layout", "dashboard", "pledge", "practices", "practice", "review", "error", "chat"]
    static let assetNames = ["chat.js", "chat.css", "widget.js"]

    public static func load(directory: String, defaultLanguage: String) throws -> WebTemplates {
        let web = URL(fileURLWithPath: directory).appendingPathComponent("web")
        var library = MustacheLibrary()
        for page in pages {
            let file = web.appendingPathComponent("\(page).mustache")
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { throw WebTemplateError(file: file.path, message: "missing") }
            do { try library.register(text, named: page) } catch { throw WebTemplateError(file: file.path, message: "\(error)") }
        }
        var assets: [String: String] = [:]
        for name in assetNames {
            let file = web.appendingPathComponent(name)
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { throw WebTemplateError(file: file.path, message: "missing") }
            assets[name] = text
        }
        let folder = web.appendingPathComponent("strings")
        var strings: [String: [String: String]] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".yaml") {
            let file = folder.appendingPathComponent(name)
            guard let text = try? String(contentsOf: file, encoding: .utf8), let node = try? Yams.compose(yaml: text, .basic), let mapping = node.mapping else {
                throw WebTemplateError(file: file.path, message: "must be a YAML mapping of key to text")
            }
            var entries: [String: String] = [:]
            for (key, value) in mapping {
                guard let key = key.string, let value = value.string else { throw WebTemplateError(file: file.path, message: "every value must be text") }
                entries[key] = value
            }
            strings[String(name.dropLast(".yaml".count))] = entries
        }
        guard let reference = strings[defaultLanguage] else { throw WebTemplateError(file: folder.appendingPathComponent("\(defaultLanguage).yaml").path, message: "missing") }
        for (code, entries) in strings {
            let missing = Set(reference.keys).subtracting(entries.keys)
            if !missing.isEmpty {
                throw WebTemplateError(file: folder.appendingPathComponent("\(code).yaml").path, message: "missing keys: \(missing.sorted().joined(separator: ", "))")
            }
        }
        return WebTemplates(library: library, strings: strings, defaultLanguage: defaultLanguage, assets: assets)
    }

    public var languages: [String] { strings.keys.sorted() }

    /// The words of `language` (the default language's when it has none).
    func words(_ language: String) -> [String: String] {
        strings[language] ?? strings[defaultLanguage] ?? [:]
    }

    func render(_ page: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: page) ?? ""
    }
}

public struct WebTemplateError: Error, CustomStringConvertible {
    public let file: String
    public let message: String
    public var description: String { "\(file): \(message)" }
}

extension WebTemplates {
    /// The visitor's language: `?lang=`, else the first of Accept-Language we have, else the default.
    func language(of request: Request, catalog: Catalog) -> String {
        if let asked = request.uri.queryParameters.get("lang"), strings[asked] != nil, catalog.languages[asked] != nil { return asked }
        for part in (request.headers[.acceptLanguage] ?? "").split(separator: ",").prefix(10) {
            let code = part.split(separator: ";").first.map { String($0.trimmingCharacters(in: .whitespaces).prefix(2)).lowercased() } ?? ""
            if strings[code] != nil, catalog.languages[code] != nil { return code }
        }
        return catalog.defaultLanguage
    }
}
