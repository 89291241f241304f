import ArgumentParser
import Foundation
import IntakeCore
import IntakeNotices
import IntakeService
import IntakeStore

/// `gcr-intake review`: the reviewers' queue. Works next to a running `serve` on the same database.
struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work the review queue: list, show, approve, reject, request changes, assign, comment, digest.",
        subcommands: [ReviewList.self, ReviewShow.self, ReviewApprove.self, ReviewReject.self, ReviewRequestChanges.self, ReviewAssign.self,
            ReviewComment.self, ReviewDigest.self])
}

/// What the review, export, stats and contacts commands open: settings, forms and texts, the database.
struct ReviewContext {
    let config: Config
    let catalog: Catalog
    let database: IntakeDatabase

    init(_ options: GlobalOptions) throws {
        config = try Config.load(options)
        catalog = try config.loadCatalog()
        database = try config.openDatabase()
    }

    /// The desk that carries out decisions and queues the contributor's notices.
    func desk() throws -> ReviewDesk {
        let renderer = NoticeRenderer(catalog: catalog, templates: try config.loadTemplates())
        return ReviewDesk(database: database, catalog: catalog, notices: NoticeQueue(renderer: renderer, messageIdDomain: config.messageIdDomain))
    }

    func queue() -> ReviewQueue { ReviewQueue(database: database, catalog: catalog) }

    /// A form of prompts/ (or none), or exit 2.
    func checkKind(_ kind: String?) throws {
        guard let kind, catalog.form(kind) == nil else { return }
        throw CLIError.configuration("unknown kind '\(kind)' (have: \(catalog.forms.map(\.id).joined(separator: ", ")))")
    }

    /// A language of prompts/ for reviewer-facing labels, or exit 2.
    func checkLanguage(_ code: String) throws {
        guard catalog.languages[code] != nil else {
            throw CLIError.configuration("unknown language '\(code)' for --lang (have: \(catalog.languageCodes.joined(separator: ", ")))")
        }
    }
}

/// JSON as the commands print it: snake_case keys, ISO 8601 dates, sorted keys.
enum CLIJSON {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Swift.print(TerminalText.safeJSON(String(decoding: try encoder.encode(value), as: UTF8.self)))
    }
}

/// Reading and printing dates and durations on the command line.
enum CLIFormat {
    /// "2026-11-25" (midnight UTC) or a full ISO 8601 timestamp.
    static func date(_ text: String) throws -> Date {
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let date = day.date(from: text) { return date }
        throw ValidationError("expected a date such as 2026-11-25 or 2026-11-25T08:00:00Z, got '\(text)'")
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }

    /// "3d 4h", "5h 10m", "12m".
    static func age(_ seconds: Int) -> String {
        let days = seconds / 86_400
        let hours = seconds % 86_400 / 3600
        let minutes = seconds % 3600 / 60
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        return "\(minutes)m"
    }

    /// `text` cut to `width` characters (an ellipsis marks the cut) and padded.
    static func cell(_ text: String, _ width: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        let cut = flat.count > width ? String(flat.prefix(width - 1)) + "…" : flat
        return cut + String(repeating: " ", count: max(0, width - cut.count))
    }
}
