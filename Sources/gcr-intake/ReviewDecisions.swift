import ArgumentParser
import Foundation
import IntakeStore

/// The options every review action takes.
struct DecisionOptions: ParsableArguments {
    @OptionGroup var options: GlobalOptions

    @Argument(help: "The reference, e.g. GCR-PR-000042.")
    var reference: String

    @Option(help: "Who decides (recorded in the audit trail).")
    var reviewer: String
}

extension DecisionOptions {
    /// Carries out `action`, prints what happened.
    func act(_ action: ReviewAction, note: String?) throws {
        try CLIError.exit {
            let outcome = try ReviewContext(options).desk().act(action, reference: reference, reviewer: reviewer, note: note, at: Date())
            let notices = outcome.outboxIds.isEmpty ? "" : "; \(outcome.outboxIds.count) notice(s) queued"
            print("\(outcome.submission.reference): \(outcome.event.action) by \(outcome.event.reviewer), now \(outcome.submission.status)\(notices)")
        }
    }
}

struct ReviewApprove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve a submitted item (the contributor is told).")
    @OptionGroup var decision: DecisionOptions
    @Option(help: "A note for the contributor.") var note: String?
    func run() throws { try decision.act(.approve, note: note) }
}

struct ReviewReject: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject an item, with the reason the contributor is sent.")
    @OptionGroup var decision: DecisionOptions
    @Option(help: "Why (sent to the contributor).") var reason: String
    func run() throws { try decision.act(.reject, note: reason) }
}

struct ReviewRequestChanges: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request-changes", abstract: "Send an item back: the contributor's conversation reopens at the summary with your note.")
    @OptionGroup var decision: DecisionOptions
    @Option(help: "What to change (sent to the contributor).") var note: String
    func run() throws { try decision.act(.requestChanges, note: note) }
}

struct ReviewAssign: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "assign", abstract: "Take an item (or give it to a reviewer).")
    @OptionGroup var decision: DecisionOptions
    func run() throws { try decision.act(.assign, note: nil) }
}

struct ReviewComment: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "comment", abstract: "Add an internal note (not sent).")
    @OptionGroup var decision: DecisionOptions
    @Option(help: "The note.") var note: String
    func run() throws { try decision.act(.comment, note: note) }
}
