import ArgumentParser
import Foundation
import IntakeStore

/// `gcr-intake review show REF`: one submission in full, with its history.
struct ReviewShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one submission: answers, contributor, attachments, duplicates, history.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The reference, e.g. GCR-PR-000042.")
    var reference: String

    @Option(help: "Language of the question labels and option names.")
    var lang: String = "en"

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        try CLIError.exit {
            let context = try ReviewContext(options)
            try context.checkLanguage(lang)
            guard let detail = try context.queue().show(reference, language: lang, at: Date()) else {
                throw ReviewError(.unknownReference, "no submission \(reference)")
            }
            if json { return try CLIJSON.print(detail) }
            print(Self.text(detail))
        }
    }

    static func text(_ detail: SubmissionDetail) -> String {
        let item = detail.item
        var lines = ["\(item.reference)  \(item.kind)  \(item.status)" + (item.assignedTo.map { "  (assigned to \($0))" } ?? "")]
        let who = detail.contributor.map { "channel \($0.channel), language \($0.language)" + ($0.name.map { ", \($0)" } ?? "") } ?? "contributor erased"
        lines.append("Submitted \(CLIFormat.timestamp(item.submittedAt)) (\(CLIFormat.age(item.ageSeconds)) ago); \(who)")
        lines.append("")
        lines.append("Answers:")
        for row in detail.answers {
            let value = row.value ?? "-"
            let indented = value.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n      ")
            lines.append("  \(row.number). \(row.label) [\(row.field)]: \(indented)")
        }
        if !detail.attachments.isEmpty {
            lines.append("")
            lines.append("Attachments:")
            for file in detail.attachments {
                let kind = file.mediaKind.map { kind in "\(kind)" + (file.durationSeconds.map { ", \($0 / 60):" + String(format: "%02d", $0 % 60) } ?? "") + ", " } ?? ""
                let flag = file.needsListening ? "  ⚑ listen: it may answer a question" : ""
                lines.append(
                    "  #\(file.id) \(file.filename ?? "(no name)") (\(kind)\(file.contentType), \(file.size) bytes, sha256 \(file.sha256.prefix(12))…)\(flag)")
            }
            lines.append("  Save one with: gcr-intake attachments get ID --out FILE")
        }
        lines.append("")
        if detail.duplicates.isEmpty {
            lines.append("Possible duplicates: none")
        } else {
            lines.append("Possible duplicates:")
            for duplicate in detail.duplicates {
                lines.append("  \(duplicate.reference) (\(duplicate.status)): \(duplicate.reason == "same_contact" ? "same contributor" : "similar title")")
            }
        }
        if let pledge = detail.pledge {
            lines.append("")
            lines += PledgesShow.lines(pledge, heading: item.kind == "pledge" ? "In the pledge registry:" : "Reports on pledge:")
        }
        lines.append("")
        lines.append("History:")
        for entry in detail.history {
            lines.append("  \(CLIFormat.timestamp(entry.at))  \(entry.reviewer)  \(entry.action)" + (entry.note.map { ": \($0)" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }
}
