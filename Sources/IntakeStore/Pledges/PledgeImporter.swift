import CSV
import Foundation
import GRDB
import IntakeCore

/// Reads a registry file (CSV with a header row, or a JSON array of objects; see schemas/pledge-import.schema.json),
/// checks every row, and imports all of it in one transaction or nothing: a bad row is reported with its line.
public struct PledgeImporter: Sendable {
    public struct RowError: Error, Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public struct Report: Sendable, Equatable {
        public var added = 0
        public var updated = 0

        public init(added: Int = 0, updated: Int = 0) {
            self.added = added
            self.updated = updated
        }
    }

    public static let columns = ["id", "title", "entity", "entity_type", "partners", "countries", "areas", "forum", "stage", "contacts", "description"]
    static let stages = ["planned", "in_progress", "fulfilled", "discontinued"]

    public let catalog: Catalog

    public init(catalog: Catalog) {
        self.catalog = catalog
    }

    /// The rows of `data` as pledges, or every row error found (at most `maxErrors`).
    public func read(_ data: Data, fileName: String, maxErrors: Int = 50) throws -> [(line: Int, pledge: PledgeInput)] {
        let rows = fileName.lowercased().hasSuffix(".json") ? try jsonRows(data) : try csvRows(data)
        var pledges: [(line: Int, pledge: PledgeInput)] = []
        var errors: [RowError] = []
        var seen: [String: Int] = [:]
        for (line, row) in rows {
            do {
                let pledge = try check(row)
                if let first = seen[pledge.externalId.lowercased()] { throw ImportProblem("id \(pledge.externalId) is also on line \(first)") }
                seen[pledge.externalId.lowercased()] = line
                pledges.append((line, pledge))
            } catch let problem as ImportProblem {
                errors.append(RowError(line: line, reason: problem.reason))
                if errors.count >= maxErrors { break }
            }
        }
        if !errors.isEmpty { throw ImportErrors(errors: errors) }
        return pledges
    }

    /// Imports `pledges` in the caller's transaction: added or updated by id. `progress` is told every 100 rows.
    public func write(_ pledges: [(line: Int, pledge: PledgeInput)], at now: Date, db: Database, progress: (Int) -> Void = { _ in }) throws -> Report {
        var report = Report()
        for (index, row) in pledges.enumerated() {
            if try PledgeRegistry.find(row.pledge.externalId, db: db) == nil { report.added += 1 } else { report.updated += 1 }
            try PledgeRegistry.upsert(row.pledge, source: "import", at: now, db: db)
            if index % 100 == 99 { progress(index + 1) }
        }
        progress(pledges.count)
        return report
    }

    // MARK: - Checking one row

    private func check(_ row: [String: ImportValue]) throws -> PledgeInput {
        let unknown = Set(row.keys).subtracting(Self.columns)
        if !unknown.isEmpty { throw ImportProblem("unknown column(s) \(unknown.sorted().joined(separator: ", ")); known: \(Self.columns.joined(separator: ", "))") }
        let id = try text(row["id"], "id", max: 100)
        guard let id, !id.isEmpty else { throw ImportProblem("id is empty") }
        guard let title = try text(row["title"], "title", max: 500), !title.isEmpty else { throw ImportProblem("title is empty") }
        var pledge = PledgeInput(externalId: id, title: title)
        pledge.entity = try text(row["entity"], "entity", max: 300) ?? ""
        pledge.entityType = try text(row["entity_type"], "entity_type", max: 100).map { option($0, list: "entity_type") ?? $0 }
        pledge.partners = try list(row["partners"], "partners").joined(separator: "; ")
        pledge.countries = try list(row["countries"], "countries").map { name in
            if let code = catalog.country(name, preferring: catalog.defaultLanguage) { return code }
            if let extra = option(name, list: "country_extra") { return extra }
            throw ImportProblem("unknown country '\(ValidationIssue.quote(name))'")
        }
        pledge.areas = try list(row["areas"], "areas").map { name in
            guard let id = option(name, list: "area") else { throw ImportProblem("unknown area '\(ValidationIssue.quote(name))'") }
            return id
        }
        pledge.forum = try text(row["forum"], "forum", max: 100).map { option($0, list: "forum") ?? $0 }
        if let stage = try text(row["stage"], "stage", max: 100), !stage.isEmpty {
            guard let id = option(stage, list: "update_status"), Self.stages.contains(id) else {
                throw ImportProblem("stage '\(ValidationIssue.quote(stage))' is not one of \(Self.stages.joined(separator: ", "))")
            }
            pledge.stage = id
        }
        pledge.contacts = try list(row["contacts"], "contacts").map { contact in
            guard PledgeRegistry.contactKey(contact) != nil, contact.contains("@") ? contact.contains(".") : true else {
                throw ImportProblem("contact '\(ValidationIssue.quote(contact))' is neither an email address nor a phone number")
            }
            return contact
        }
        pledge.description = try text(row["description"], "description", max: 20_000)
        return pledge
    }

    /// An option id of `list` named by its id or its label in any language.
    private func option(_ text: String, list: String) -> String? {
        let key = MatchKey.make(text)
        if let id = catalog.optionLists[list]?.first(where: { MatchKey.make($0) == key || MatchKey.make($0.replacingOccurrences(of: "_", with: " ")) == key }) {
            return id
        }
        return catalog.option(labelled: text, in: list)
    }

    private func text(_ value: ImportValue?, _ column: String, max: Int) throws -> String? {
        switch value {
        case nil, .null?: return nil
        case .list?: throw ImportProblem("\(column) must be text, not a list")
        case .text(let raw)?:
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.unicodeScalars.contains(where: { FieldValidator.isForbiddenControl($0) && $0 != "\n" && $0 != "\t" }) {
                throw ImportProblem("\(column) holds control characters")
            }
            if text.count > max { throw ImportProblem("\(column) is longer than \(max) characters") }
            return text
        }
    }

    /// A list cell: a JSON array, or text separated by ";" (or "," when there is no ";").
    private func list(_ value: ImportValue?, _ column: String) throws -> [String] {
        switch value {
        case nil, .null?: return []
        case .list(let items)?: return try items.compactMap { try text(.text($0), column, max: 300) }.filter { !$0.isEmpty }
        case .text(let raw)?:
            guard let text = try text(.text(raw), column, max: 5_000) else { return [] }
            let separator: Character = text.contains(";") ? ";" : ","
            return text.split(separator: separator).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    // MARK: - Files

    private func csvRows(_ data: Data) throws -> [(Int, [String: ImportValue])] {
        guard let text = String(data: data, encoding: .utf8) else { throw ImportErrors(errors: [RowError(line: 1, reason: "the file is not UTF-8 text")]) }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, hasHeaderRow: true)
        } catch {
            throw ImportErrors(errors: [RowError(line: 1, reason: "unreadable CSV: \(error)")])
        }
        let header = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard header.contains("id"), header.contains("title") else {
            throw ImportErrors(errors: [RowError(line: 1, reason: "the header row must name at least id and title (columns: \(Self.columns.joined(separator: ", ")))")])
        }
        var rows: [(Int, [String: ImportValue])] = []
        var line = 2
        while let cells = reader.next() {
            var row: [String: ImportValue] = [:]
            for (index, name) in header.enumerated() where index < cells.count && !name.isEmpty {
                row[name] = cells[index].isEmpty ? .null : .text(cells[index])
            }
            if cells.count > header.count, cells[header.count...].contains(where: { !$0.isEmpty }) {
                throw ImportErrors(errors: [RowError(line: line, reason: "more cells (\(cells.count)) than the header has columns (\(header.count))")])
            }
            if !(cells.count == 1 && cells[0].isEmpty) { rows.append((line, row)) }
            line += 1 + cells.reduce(0) { $0 + $1.filter { $0 == "\n" }.count }
        }
        if let error = reader.error { throw ImportErrors(errors: [RowError(line: line, reason: "unreadable CSV: \(error)")]) }
        return rows
    }

    private func jsonRows(_ data: Data) throws -> [(Int, [String: ImportValue])] {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ImportErrors(errors: [RowError(line: 1, reason: "malformed JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error)")])
        }
        guard let items = parsed as? [Any] else { throw ImportErrors(errors: [RowError(line: 1, reason: "the JSON must be an array of objects")]) }
        let lines = Self.objectLines(data)
        return try items.enumerated().map { index, item in
            let line = index < lines.count ? lines[index] : 1
            guard let object = item as? [String: Any] else { throw ImportErrors(errors: [RowError(line: line, reason: "item \(index + 1) is not an object")]) }
            var row: [String: ImportValue] = [:]
            for (key, value) in object {
                switch value {
                case let text as String: row[key] = .text(text)
                case let items as [Any]: row[key] = .list(items.map { ($0 as? String) ?? "\($0)" })
                case is NSNull: row[key] = .null
                case let number as NSNumber: row[key] = .text(number.stringValue)
                default: throw ImportErrors(errors: [RowError(line: line, reason: "\(key) must be text or a list of text")])
                }
            }
            return (line, row)
        }
    }

    /// The line on which each object of the top-level array starts.
    static func objectLines(_ data: Data) -> [Int] {
        var lines: [Int] = []
        var line = 1
        var depth = 0
        var inString = false
        var escaped = false
        for byte in data {
            if byte == UInt8(ascii: "\n") { line += 1 }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                if depth == 1 { lines.append(line) }
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 1 { lines.append(line) }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return lines
    }
}

/// A cell as read from the file.
enum ImportValue: Sendable, Equatable {
    case text(String)
    case list([String])
    case null
}

struct ImportProblem: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Every bad row of a file (nothing was imported).
public struct ImportErrors: Error, Sendable, CustomStringConvertible {
    public let errors: [PledgeImporter.RowError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
