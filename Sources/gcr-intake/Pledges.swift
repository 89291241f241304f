import ArgumentParser
import Foundation
import GRDB
import IntakeStore

/// `gcr-intake pledges`: the pledge registry (import, list, show).
struct Pledges: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The pledge registry: import the platform's pledges, list them, show one with its updates.",
        subcommands: [PledgesImport.self, PledgesList.self, PledgesShow.self])
}

struct PledgesImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import pledges from a CSV or JSON file (columns in README; schemas/pledge-import.schema.json). Re-importing updates by id.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The file: .csv (header row) or .json (array of objects).")
    var file: String

    func run() throws {
        try CLIError.exit {
            let context = try ReviewContext(options)
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIError.configuration("cannot read \(file)") }
            let importer = PledgeImporter(catalog: context.catalog)
            let rows: [(line: Int, pledge: PledgeInput)]
            do {
                rows = try importer.read(data, fileName: file)
            } catch let errors as ImportErrors {
                FileHandle.standardError.write(Data(TerminalText.safe("gcr-intake: \(file): nothing imported:\n\(errors.description)\n").utf8))
                throw ExitCode(1)
            }
            let bar = ProgressBar(total: rows.count)
            let report = try context.database.importPledges(rows, with: importer, at: Date(), progress: bar.show)
            bar.finish()
            print("\(file): \(rows.count) pledges (\(report.added) added, \(report.updated) updated)")
        }
    }
}

struct PledgesList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the registry's pledges.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Only this stage: planned, in_progress, fulfilled, discontinued.")
    var stage: String?

    @Option(help: "Only pledges in this country (ISO code).")
    var country: String?

    @Option(help: "Only pledges with this area (option id, e.g. education).")
    var area: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try CLIError.exit {
            let context = try ReviewContext(options)
            let pledges = try context.database.read { db in try PledgeRegistry.list(stage: stage, country: country, area: area, db: db) }
            if json {
                return try CLIJSON.print(
                    pledges.map {
                        PledgeListItem(id: $0.externalId, title: $0.title, entity: $0.entity, stage: $0.stage, countries: $0.countryCodes, areas: $0.areaIds)
                    })
            }
            for pledge in pledges {
                print(TerminalText.safe("\(pledge.externalId)  \(pledge.stage ?? "-")  \(pledge.title)  (\(pledge.entity))"))
            }
            print("\(pledges.count) pledge(s)")
        }
    }
}

struct PledgeListItem: Codable {
    let id: String
    let title: String
    let entity: String
    let stage: String?
    let countries: [String]
    let areas: [String]
}

struct PledgesShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one pledge with every update, newest first, and who sent it.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The pledge's id: GRF-01234, GCR-PL-000001.")
    var id: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try CLIError.exit {
            let context = try ReviewContext(options)
            guard let detail = try context.database.read({ db in try PledgeDetail.load(id, catalog: context.catalog, db: db) }) else {
                throw ReviewError(.unknownReference, "no pledge \(id)")
            }
            if json { return try CLIJSON.print(detail) }
            print(Self.lines(detail, heading: nil).joined(separator: "\n"))
        }
    }

    static func lines(_ pledge: PledgeDetail, heading: String?) -> [String] {
        var lines = heading.map { [$0] } ?? []
        lines.append(TerminalText.safe("  \(pledge.id)  \(pledge.title)"))
        lines.append(TerminalText.safe("  by \(pledge.entity.isEmpty ? "-" : pledge.entity)" + (pledge.partners.map { " with \($0)" } ?? "")))
        lines.append("  stage \(pledge.stage ?? "-"); countries \(pledge.countries.joined(separator: ", ")); areas \(pledge.areas.joined(separator: ", "))")
        if pledge.updates.isEmpty {
            lines.append("  Updates: none")
        } else {
            lines.append("  Updates (newest first):")
            for update in pledge.updates {
                lines.append(
                    TerminalText.safe(
                        "    \(update.reference)  \(CLIFormat.timestamp(update.submittedAt))  \(update.status)  stage \(update.stage ?? "-")  from \(update.sentBy ?? "(erased)")"))
            }
        }
        return lines
    }
}

/// "Importing 1200/5000" on a terminal (standard error), nothing when piped.
final class ProgressBar {
    let total: Int
    let visible = isatty(STDERR_FILENO) == 1

    init(total: Int) { self.total = total }

    func show(_ done: Int) {
        guard visible, total > 0 else { return }
        let width = 30
        let filled = width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\rImporting [\(bar)] \(done)/\(total)".utf8))
    }

    func finish() {
        if visible { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
