import Foundation
import Mustache

/// The Mustache templates of `templates/`: `<lang>/<kind>.<part>.mustache` for every notice kind and
/// part, and shared partials at the top (`layout.html.mustache`). Loading checks that every language has
/// every template, so a missing file is an error at start-up rather than a notice that never goes out.
public struct NoticeTemplates: Sendable {
    let library: MustacheLibrary
    public let languages: [String]

    public static func load(directory: String) throws -> NoticeTemplates {
        // A symbolic link to the folder (a deployment pointing at a release) is followed: the enumerator would not.
        let root = URL(fileURLWithPath: directory).resolvingSymlinksInPath()
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(at: root, includingPropertiesForKeys: nil) else {
            throw NoticeTemplateError(file: directory, message: "folder not found")
        }
        var library = MustacheLibrary()
        var names: Set<String> = []
        for case let url as URL in enumerator where url.pathExtension == "mustache" {
            let relative = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            if relative.hasPrefix("web/") { continue }  // the dashboard's pages (IntakeWeb), not notices
            let name = String(relative.dropLast(".mustache".count))
            do {
                try library.register(try String(contentsOf: url, encoding: .utf8), named: name)
            } catch {
                throw NoticeTemplateError(file: url.path, message: "\(error)")
            }
            names.insert(name)
        }
        let languages = Set(names.compactMap { $0.contains("/") ? String($0.split(separator: "/")[0]) : nil }).sorted()
        guard !languages.isEmpty else { throw NoticeTemplateError(file: directory, message: "no templates/<lang>/ folder") }
        for language in languages {
            for kind in NoticeKind.allCases {
                for part in NoticeKind.parts where !names.contains("\(language)/\(kind.rawValue).\(part)") {
                    throw NoticeTemplateError(file: root.appendingPathComponent("\(language)/\(kind.rawValue).\(part).mustache").path, message: "missing")
                }
            }
        }
        return NoticeTemplates(library: library, languages: languages)
    }

    /// Renders `<language>/<kind>.<part>`; a language without templates falls back to `fallback`.
    func render(_ kind: NoticeKind, part: String, language: String, fallback: String, context: [String: Any]) -> String {
        let code = languages.contains(language) ? language : fallback
        return library.render(context, withTemplate: "\(code)/\(kind.rawValue).\(part)") ?? ""
    }
}

/// A template that does not load: names the file.
public struct NoticeTemplateError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let message: String
    public var description: String { "\(file): \(message)" }
}
