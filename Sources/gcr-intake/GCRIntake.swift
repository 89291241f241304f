import ArgumentParser

/// `gcr-intake`: the command line of GCR Intake.
@main
struct GCRIntake: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gcr-intake",
        abstract: "Collect good practices, pledges and pledge updates for the Global Compact on Refugees platform by chat and email.",
        discussion: """
            Exit codes: 0 success, 1 refused, 2 bad usage or configuration, 3 unknown reference.
            """,
        subcommands: [Serve.self, Chat.self, Version.self]
    )
}
