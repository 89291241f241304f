import Foundation

/// Reads an email that answers several questions of a form at once: "Label: value" lines, numbered
/// answers ("3. value", "3) value", "[3] value"), or values written under the question lines of the
/// form template we sent, quoted ("> ") once or more. Labels are recognised in every loaded language.
/// Only the contributor's own (unquoted) lines give values; quoted lines only say which question the
/// lines under them answer. Pure: the caller validates each value as in a chat.
public struct StructuredReply: Sendable, Equatable {
    /// A value found for a field, as written (lines joined).
    public struct Value: Sendable, Equatable {
        public let field: String
        public let text: String
    }

    /// Values in the order found; a field answered twice keeps its last value.
    public private(set) var values: [Value] = []
    /// "Label: value" lines.
    public private(set) var labelMarkers = 0
    /// "[3]" markers and template question headers.
    public private(set) var bracketMarkers = 0
    /// "3. value" / "3) value" lines.
    public private(set) var numberMarkers = 0
    /// Whether the text holds our form template (quoted or not).
    public private(set) var templateSeen = false
    /// Whether the first line the contributor wrote was a marker (rather than prose).
    public private(set) var startsWithMarker = false

    /// The fields of a template, numbered as the template numbers them (1-based, in order).
    public struct Layout: Sendable {
        public let fields: [Field]
        /// Every label of every field, in every language, as match keys → field id.
        let labels: [String: String]
        /// Lines of the template that are not answers (questions, options, headers), as match keys.
        let templateLines: Set<String>
        /// Question texts in every language, as match keys → field id.
        let questions: [String: String]
        /// Template lines that end the answer above them (intro, form header and footer), as match keys.
        let boundaries: Set<String>
        /// Beginnings of option lines ("Options:", "Opciones:"), as match keys.
        let optionPrefixes: [String]
        let markers: Set<String>

        public init(form: Form, channel: Channel, catalog: Catalog) {
            fields = Self.fields(form: form, channel: channel)
            var labels: [String: String] = [:]
            var questions: [String: String] = [:]
            var lines: Set<String> = []
            var boundaries: Set<String> = []
            var prefixes: [String] = []
            var markers: Set<String> = []
            for pack in catalog.packs(preferring: catalog.defaultLanguage) {
                for field in fields {
                    let texts = pack.fieldTexts(form: form.id, field: field.id)
                    labels[MatchKey.make(texts.label)] = labels[MatchKey.make(texts.label)] ?? field.id
                    lines.insert(MatchKey.make(texts.question))
                    questions[MatchKey.make(texts.question)] = questions[MatchKey.make(texts.question)] ?? field.id
                }
                for key: MessageKey in [.formTemplateIntro, .formTemplateFooter, .structuredFooter, .structuredMissing] {
                    boundaries.insert(MatchKey.make(pack.message(key)))
                }
                for form in catalog.forms {
                    boundaries.insert(MatchKey.make(pack.message(.formTemplateHeader, ["form": pack.forms[form.id]?.name ?? form.id])))
                }
                let options = pack.message(.formTemplateOptions, ["options": "\u{1}"])
                prefixes.append(MatchKey.make(String(options.prefix { $0 != "\u{1}" })))
                markers.insert(MatchKey.make(pack.message(.formTemplateRequired)))
                markers.insert(MatchKey.make(pack.message(.formTemplateOptional)))
            }
            self.labels = labels
            self.questions = questions
            self.boundaries = boundaries
            self.templateLines = lines.union(boundaries)
            self.optionPrefixes = prefixes.filter { !$0.isEmpty }
            self.markers = markers.filter { !$0.isEmpty }
        }

        /// Every field the channel asks, relevant or not yet: the numbering must not move as answers come in.
        public static func fields(form: Form, channel: Channel) -> [Field] {
            form.fields.filter { !$0.skipOnChannels.contains(channel) }
        }

        func field(number: Int) -> Field? {
            (1...max(fields.count, 1)).contains(number) && number <= fields.count ? fields[number - 1] : nil
        }
    }

    public static func parse(_ text: String, layout: Layout) -> StructuredReply {
        var reply = StructuredReply()
        var current: String?
        var lines: [String: [String]] = [:]
        var order: [String] = []
        var wroteSomething = false
        func start(_ field: String, with first: String) {
            current = field
            if lines[field] == nil { order.append(field) }
            lines[field] = first.isEmpty ? [] : [first]
        }
        /// A quoted question: the contributor's lines under it answer it.
        func under(_ field: String) {
            current = field
            if lines[field] == nil {
                order.append(field)
                lines[field] = []
            }
        }
        var all = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").components(separatedBy: "\n")
        // History below an attribution or an Outlook header block that is not marked "> " (Outlook
        // quotes nothing) is our own earlier mail, option lists and all: none of it is an answer.
        if let boundary = ReplyStripper.boundary(all), !all[boundary...].contains(where: { unquote($0).1 }) {
            all = Array(all[..<boundary])
        }
        for raw in all {
            let (content, quoted) = unquote(raw)
            let line = content.trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                guard !quoted, let open = current else { continue }
                let hasText = lines[open]?.contains { !$0.isEmpty } ?? false
                if hasText && layout.fields.first(where: { $0.id == open })?.type != .longText {
                    current = nil  // a short answer ends at a blank line: what follows is not part of it
                } else {
                    lines[open]?.append("")
                }
                continue
            }
            if !quoted && (raw == "-- " || line == "--") { break }  // signature
            if quoted {
                // Quoted: only which question the lines that follow answer.
                // A header is "[3] Label (required)" or "3. Label: …" (a summary line), never "3. Option".
                if let (field, rest) = bracket(line, layout: layout), isHeader(rest, field: field, layout: layout) {
                    reply.templateSeen = true
                    under(field.id)
                } else if let (field, rest) = numbered(line, layout: layout), isHeader(rest, field: field, layout: layout) {
                    under(field.id)  // a line of a summary we sent
                } else if let (field, rest) = labelled(line, layout: layout), rest.isEmpty {
                    under(field.id)
                } else if let id = layout.questions[MatchKey.make(line)] {
                    under(id)
                } else if layout.templateLines.contains(MatchKey.make(line)) {
                    reply.templateSeen = true
                }
                continue
            }
            if ReplyStripper.isAttribution(line) {
                current = nil
                continue
            }
            let firstLine = !wroteSomething
            wroteSomething = true
            if let (field, rest) = bracket(line, layout: layout) {
                reply.bracketMarkers += 1
                if firstLine { reply.startsWithMarker = true }
                start(field.id, with: strip(rest, field: field, layout: layout))
            } else if let (field, rest) = numbered(line, layout: layout) {
                reply.numberMarkers += 1
                if firstLine { reply.startsWithMarker = true }
                start(field.id, with: strip(rest, field: field, layout: layout))
            } else if let (field, rest) = labelled(line, layout: layout) {
                reply.labelMarkers += 1
                if firstLine { reply.startsWithMarker = true }
                start(field.id, with: rest)
            } else if isTemplateLine(line, layout: layout) {
                reply.templateSeen = true
                if firstLine { wroteSomething = false }
                if layout.boundaries.contains(MatchKey.make(line)) { current = nil }
            } else if let current {
                lines[current]?.append(line)
            }
        }
        if let open = current, var last = lines[open] {
            // A long answer still open at the end: a short last paragraph after a blank line is a sign-off.
            while last.last?.isEmpty == true { last.removeLast() }
            if let blank = last.lastIndex(of: ""), last[(blank + 1)...].joined(separator: " ").count <= 40 {
                last = Array(last[..<blank])
            }
            lines[open] = last
        }
        for field in order {
            guard let type = layout.fields.first(where: { $0.id == field })?.type else { continue }
            let parts = (lines[field] ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
            let joined: String
            switch type {
            case .longText: joined = parts.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            case .country, .multiChoice: joined = parts.filter { !$0.isEmpty }.joined(separator: ", ")
            default: joined = parts.filter { !$0.isEmpty }.joined(separator: " ")
            }
            if !joined.isEmpty { reply.values.append(Value(field: field, text: joined)) }
        }
        return reply
    }

    /// "> > text" → ("text", true).
    static func unquote(_ line: String) -> (String, Bool) {
        var rest = Substring(line)
        var quoted = false
        while let first = rest.first(where: { $0 != " " && $0 != "\t" }), first == ">" || first == "|" {
            rest = rest.drop { $0 == " " || $0 == "\t" }.dropFirst()
            quoted = true
        }
        return (String(rest), quoted)
    }

    private static let bracketPattern = try! NSRegularExpression(pattern: #"^\[\s*([0-9]{1,2})\s*\]\s*[.):\-]?\s*(.*)$"#)
    private static let numberPattern = try! NSRegularExpression(pattern: #"^([0-9]{1,2})\s*[.)]\s*(.*)$"#)

    private static func match(_ regex: NSRegularExpression, _ line: String, layout: Layout) -> (Field, String)? {
        let text = NumberParser.asciiDigits(line)
        guard let found = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let numberRange = Range(found.range(at: 1), in: text), let restRange = Range(found.range(at: 2), in: text),
            let field = layout.field(number: Int(text[numberRange]) ?? 0)
        else { return nil }
        return (field, String(text[restRange]))
    }

    static func bracket(_ line: String, layout: Layout) -> (Field, String)? { match(bracketPattern, line, layout: layout) }
    static func numbered(_ line: String, layout: Layout) -> (Field, String)? { match(numberPattern, line, layout: layout) }

    /// "Title: value", "Titre : valeur" (the label in any language, before a colon).
    static func labelled(_ line: String, layout: Layout) -> (Field, String)? {
        guard let colon = line.firstIndex(where: { $0 == ":" || $0 == "：" }) else { return nil }
        var label = String(line[..<colon])
        if layout.markers.contains(where: MatchKey.make(label).hasSuffix) {  // "Title (required):" as in our template
            label = label.replacingOccurrences(of: #"\s*\(.*\)\s*$"#, with: "", options: .regularExpression)
        }
        guard let id = layout.labels[MatchKey.make(label)], let field = layout.fields.first(where: { $0.id == id }) else { return nil }
        return (field, String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
    }

    /// What follows a number: "Title (required)" from our template is no answer; "Title: value" gives "value".
    static func strip(_ rest: String, field: Field, layout: Layout) -> String {
        if let (labelledField, value) = labelled(rest, layout: layout), labelledField.id == field.id { return value }
        var text = rest
        for (key, id) in layout.labels where id == field.id {
            if MatchKey.make(text).hasPrefix(key), MatchKey.make(text) == key || isOnlyMarker(MatchKey.make(text).dropFirst(key.count), layout: layout) {
                text = ""
                break
            }
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    private static func isHeader(_ rest: String, field: Field, layout: Layout) -> Bool {
        strip(rest, field: field, layout: layout).isEmpty || labelled(rest, layout: layout)?.0.id == field.id
    }

    private static func isOnlyMarker(_ rest: Substring, layout: Layout) -> Bool {
        let key = rest.trimmingCharacters(in: .whitespaces)
        return key.isEmpty || layout.markers.contains(key)
    }

    private static func isTemplateLine(_ line: String, layout: Layout) -> Bool {
        let key = MatchKey.make(line)
        return layout.templateLines.contains(key) || layout.optionPrefixes.contains { key.hasPrefix($0) }
    }
}
