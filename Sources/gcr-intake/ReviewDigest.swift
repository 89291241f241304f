import ArgumentParser
import Foundation
import IntakeCore
import IntakeStore

/// `gcr-intake review digest --to ADDRESS`: an email to reviewers listing what waits, oldest first.
struct ReviewDigest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest", abstract: "Queue an email listing the items waiting for review (sent by `serve`).")

    @OptionGroup var options: GlobalOptions

    @Option(help: "The reviewers' address.")
    var to: String

    @Option(help: "Language of the digest.")
    var lang: String = "en"

    func validate() throws {
        guard case .success = AddressParser.email(to) else { throw ValidationError("--to needs an email address, got '\(to)'") }
    }

    func run() throws {
        try CLIError.exit {
            let context = try ReviewContext(options)
            try context.checkLanguage(lang)
            let desk = try context.desk()
            let items = try context.queue().list(statuses: [.submitted], kind: nil, since: nil, at: Date())
            let id = try desk.queueDigest(items, to: to, language: lang, at: Date())
            print("Digest of \(items.count) item(s) queued for \(to) (outbox #\(id)); `serve` sends it.")
        }
    }
}
