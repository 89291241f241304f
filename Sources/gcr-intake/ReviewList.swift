import ArgumentParser
import Foundation
import IntakeStore

/// `gcr-intake review list`: the queue, oldest first.
struct ReviewList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List submissions, oldest first.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "submitted (default), changes_requested, approved, rejected, or all.")
    var status: StatusOption = .only(.submitted)

    @Option(help: "good_practice, pledge or pledge_update.")
    var kind: String?

    @Option(help: "Only items submitted on or after this date (2026-11-01 or an ISO 8601 time).")
    var since: String?

    @Flag(help: "Print a JSON array.")
    var json = false

    func validate() throws {
        if let since { _ = try CLIFormat.date(since) }
    }

    func run() throws {
        try CLIError.exit {
            let context = try ReviewContext(options)
            try context.checkKind(kind)
            let items = try context.queue().list(
                statuses: status.statuses, kind: kind, since: try since.map(CLIFormat.date), at: Date())
            if json { return try CLIJSON.print(items) }
            guard !items.isEmpty else { return print("No submissions (\(status)).") }
            print(Self.table(items))
        }
    }

    static func table(_ items: [QueueItem]) -> String {
        var lines = [
            [CLIFormat.cell("REFERENCE", 13), CLIFormat.cell("KIND", 13), CLIFormat.cell("STATUS", 17), CLIFormat.cell("TITLE", 32),
                CLIFormat.cell("ENTITY", 20), CLIFormat.cell("COUNTRY", 10), CLIFormat.cell("LANG", 4), "AGE"].joined(separator: "  ")
        ]
        for item in items {
            lines.append(
                [CLIFormat.cell(item.reference, 13), CLIFormat.cell(item.kind, 13), CLIFormat.cell(item.status.rawValue, 17), CLIFormat.cell(item.title, 32),
                    CLIFormat.cell(item.entity ?? "-", 20), CLIFormat.cell(item.countries.isEmpty ? "-" : item.countries.joined(separator: ","), 10),
                    CLIFormat.cell(item.language, 4), CLIFormat.age(item.ageSeconds)].joined(separator: "  "))
        }
        lines.append("\(items.count) item(s)")
        return lines.joined(separator: "\n")
    }
}
