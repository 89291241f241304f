import Foundation
import Yams

/// prompts/whatsapp.yaml: the WhatsApp template message sent for each kind of message when the 24-hour
/// customer-service window is closed (WhatsApp refuses free text then). Each kind names an approved
/// template and the values filling its body parameters {{1}}, {{2}}…; `languages` maps our language
/// codes to the template language codes registered with Meta.
public struct WhatsAppTemplates: Sendable, Equatable {
    public struct Template: Sendable, Equatable {
        public let name: String
        public let parameters: [String]
    }

    /// A template ready to send: name, language code, body parameter texts.
    public struct Message: Sendable, Equatable {
        public let name: String
        public let language: String
        public let parameters: [String]
    }

    public let windowHours: Double
    public let templates: [String: Template]
    public let languages: [String: String]

    public init(windowHours: Double = 24, templates: [String: Template] = [:], languages: [String: String] = [:]) {
        self.windowHours = windowHours
        self.templates = templates
        self.languages = languages
    }

    /// Reads the file; a missing file means no templates (free text only). A malformed one is an error naming the file.
    public static func load(directory: String) throws -> WhatsAppTemplates {
        let path = URL(fileURLWithPath: directory).appendingPathComponent("whatsapp.yaml").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return WhatsAppTemplates() }
        func fail(_ message: String) -> CatalogError { CatalogError(file: path, line: nil, message: message) }
        guard let root = try? Yams.compose(yaml: text, .basic), let mapping = root.mapping else { throw fail("must be a YAML mapping") }
        var templates: [String: Template] = [:]
        var languages: [String: String] = [:]
        var window = 24.0
        for (key, value) in mapping {
            switch key.string {
            case "window_hours":
                guard let hours = value.string.flatMap(Double.init), hours > 0, hours <= 24 * 7 else { throw fail("window_hours: a number of hours") }
                window = hours
            case "templates":
                for (kind, entry) in value.mapping ?? [:] {
                    guard let kind = kind.string, let name = entry.mapping?["name"]?.string, !name.isEmpty else {
                        throw fail("templates: each kind needs a name")
                    }
                    let parameters = entry.mapping?["parameters"]?.sequence?.compactMap(\.string) ?? []
                    templates[kind] = Template(name: name, parameters: parameters)
                }
            case "languages":
                for (ours, theirs) in value.mapping ?? [:] {
                    guard let ours = ours.string, let theirs = theirs.string else { throw fail("languages: code: template language code") }
                    languages[ours] = theirs
                }
            default: throw fail("unknown key '\(key.string ?? "?")' (window_hours, templates, languages)")
            }
        }
        return WhatsAppTemplates(windowHours: window, templates: templates, languages: languages)
    }

    /// The template message for `kind` in `language` with `values`; nil when no template is set for it.
    /// Parameters are single lines of at most 200 characters (WhatsApp refuses newlines and tabs in them).
    public func message(kind: String, language: String, values: [String: String]) -> Message? {
        guard let template = templates[kind] else { return nil }
        let parameters = template.parameters.map { name -> String in
            let flat = (values[name] ?? "").split(whereSeparator: { $0.isNewline || $0 == "\t" }).joined(separator: " ")
            let squeezed = flat.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            let text = squeezed.isEmpty ? "-" : squeezed
            return text.count > 200 ? String(text.prefix(199)) + "…" : text
        }
        return Message(name: template.name, language: languages[language] ?? language, parameters: parameters)
    }
}
