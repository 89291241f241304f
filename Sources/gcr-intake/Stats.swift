import ArgumentParser
import Foundation
import IntakeExport
import IntakeStore

/// `gcr-intake stats`: counts of submissions and the median time to review.
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Counts by kind, status, language, channel, objective, area, entity type; pledges by stage and updates by stage, apart.")

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Count rejected submissions too (left out by default).")
    var includeRejected = false

    func run() throws {
        try CLIError.exit {
            let context = try ReviewContext(options)
            let stats = try Statistics.compute(database: context.database, catalog: context.catalog, includeRejected: includeRejected)
            if json { return try CLIJSON.print(stats) }
            var lines = ["Submissions: \(stats.total)"]
            if stats.rejected > 0 {
                lines[0] += stats.includesRejected ? " (\(stats.rejected) rejected included)" : " (\(stats.rejected) rejected left out; --include-rejected counts them)"
            }
            for (title, counts) in [
                ("By kind", stats.byKind), ("By status", stats.byStatus), ("By language", stats.byLanguage), ("By channel", stats.byChannel),
                ("By GCR objective", stats.byObjective), ("By area", stats.byArea), ("By entity type", stats.byEntityType),
                ("Pledges by stage", stats.byPledgeStatus), ("Updates by stage reported", stats.byUpdateStatus),
            ] where !counts.isEmpty {
                lines.append("\(title): " + counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            let median = stats.medianHoursToReview.map { String(format: "%.1f h over %d decided", $0, stats.reviewed) } ?? "nothing decided yet"
            lines.append("Median time to review: \(median)")
            lines.append("Drafts: \(stats.draftsReminded) reminded, \(stats.draftsResumed) resumed after a reminder, \(stats.draftsExpired) expired")
            print(lines.joined(separator: "\n"))
        }
    }
}
