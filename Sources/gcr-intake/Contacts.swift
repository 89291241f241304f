import ArgumentParser
import Foundation
import IntakeStore

/// `gcr-intake contacts`: data-protection requests (what we hold about someone; erase it).
struct Contacts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show or erase what is stored about a contributor (by phone number, email address or chat id).",
        subcommands: [ContactsShow.self, ContactsForget.self])
}

struct ContactsShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Everything stored about ADDRESS.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "A phone number, email address or chat id.") var address: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try CLIError.exit {
            let context = try ReviewContext(options)
            let dossier = try context.database.read { db in try ContactDossier.load(address: address, catalog: context.catalog, db: db) }
            guard !dossier.isEmpty else { throw ReviewError(.unknownReference, "nothing is stored about \(address)") }
            if json { return try CLIJSON.print(dossier) }
            var lines: [String] = []
            for contact in dossier.contacts {
                lines.append(
                    "Contact #\(contact.id!): \(contact.channel) \(contact.address)" + (contact.displayName.map { " (\($0))" } ?? "")
                        + ", language \(contact.language)" + (contact.email.map { ", email \($0)" } ?? "") + ", since \(CLIFormat.timestamp(contact.createdAt))")
            }
            lines.append("Conversations: \(dossier.conversations.count)")
            for draft in dossier.conversations {
                lines.append("  #\(draft.id) \(draft.form ?? "-") \(draft.status), \(draft.answers.count) answer(s), last \(CLIFormat.timestamp(draft.updatedAt))")
            }
            lines.append("Messages received: \(dossier.messages.count)")
            for message in dossier.messages {
                let text = message.text.split(whereSeparator: \.isNewline).joined(separator: " ")
                lines.append(
                    "  #\(message.id) \(CLIFormat.timestamp(message.receivedAt)) \(message.channel) \(message.outcome): \(CLIFormat.cell(text, 60))"
                        + (message.attachments.isEmpty ? "" : " [\(message.attachments.joined(separator: ", "))]"))
            }
            lines.append("Submissions: \(dossier.submissions.count)")
            for submission in dossier.submissions { lines.append("  \(submission.reference) \(submission.kind) \(submission.status)") }
            lines.append("Messages sent to them: \(dossier.sent.count)")
            print(lines.joined(separator: "\n"))
        }
    }
}

struct ContactsForget: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Erase ADDRESS's personal data: contact details, messages, attachments, drafts, unapproved submissions.",
        discussion: "Approved submissions stay, anonymised; the erasure is recorded (counts only) in the audit trail.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "A phone number, email address or chat id.") var address: String
    @Option(help: "Who carries out the request (recorded).") var by: String = "operator"

    func run() throws {
        try CLIError.exit {
            let context = try ReviewContext(options)
            let report = try context.database.forget(address: address, requestedBy: by, catalog: context.catalog, at: Date())
            guard let report else { throw ReviewError(.unknownReference, "nothing is stored about \(address)") }
            print(
                "Erased \(address): \(report.contacts) contact(s), \(report.inbound) message(s), \(report.submissionsDeleted) submission(s) deleted, "
                    + "\(report.submissionsAnonymised) approved submission(s) kept anonymised.")
        }
    }
}
