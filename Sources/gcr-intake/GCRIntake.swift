import ArgumentParser
import Foundation

/// `gcr-intake`: the command line of GCR Intake.
@main
struct GCRIntake: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gcr-intake",
        abstract: "Collect good practices, pledges and pledge updates for the Global Compact on Refugees platform by chat and email.",
        discussion: """
            Exit codes: 0 success, 1 refused, 2 bad usage or configuration, 3 unknown reference.
            """,
        subcommands: [Serve.self, Chat.self, Review.self, Pledges.self, Export.self, Stats.self, Contacts.self, Mail.self, TelegramCommand.self, Campaign.self, Attachments.self, Version.self]
    )

    /// As ArgumentParser's, except that bad usage exits with 2 (documented) rather than 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
