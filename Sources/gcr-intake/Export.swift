import ArgumentParser
import Foundation
import IntakeExport
import IntakeStore

/// `gcr-intake export`: submissions for the GCR platform, as JSON or CSV.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export submissions for the platform (JSON per schemas/export.schema.json, or CSV).",
        discussion: "Only items whose contributor agreed to publish (consent_publish = yes), unless --include-unpublishable.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, csv }

    @OptionGroup var options: GlobalOptions

    @Option(help: "approved (default), submitted, changes_requested, rejected, or all.")
    var status: StatusOption = .only(.approved)

    @Option(help: "good_practice, pledge or pledge_update.")
    var kind: String?

    @Option(help: "json or csv.")
    var format: Format = .json

    @Option(help: "Write to this file instead of standard output.")
    var out: String?

    @Flag(help: "Also export items without consent to publish.")
    var includeUnpublishable = false

    @Flag(help: "Also export personal fields (names, contact emails).")
    var includePersonal = false

    func run() throws {
        try CLIError.exit {
            let context = try ReviewContext(options)
            try context.checkKind(kind)
            let exporter = Exporter(database: context.database, catalog: context.catalog)
            let selection = Exporter.Options(
                statuses: status.statuses, kind: kind, includeUnpublishable: includeUnpublishable, includePersonal: includePersonal)
            let data = format == .json ? try exporter.json(selection) : try exporter.csv(selection)
            if let out {
                do {
                    try data.write(to: URL(fileURLWithPath: out), options: .atomic)
                } catch {
                    throw CLIError.configuration("cannot write \(out): \(error.localizedDescription)")
                }
            } else if isatty(STDOUT_FILENO) == 1 {
                // On a terminal, contributors' text must not drive it; a file or a pipe gets the data as it is.
                let text = String(decoding: data, as: UTF8.self)
                print(format == .json ? TerminalText.safeJSON(text) : text.replacingOccurrences(of: "\r\n", with: "\n"))
            } else {
                FileHandle.standardOutput.write(data)
                if format == .json { FileHandle.standardOutput.write(Data("\n".utf8)) }
            }
        }
    }
}
