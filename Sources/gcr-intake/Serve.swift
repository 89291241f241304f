import ArgumentParser
import Foundation
import IntakeCore
import IntakeService
import Logging

/// `gcr-intake serve`: the long-running service (IMAP ingest, outbox delivery) until SIGTERM/SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the service: read the mailbox, answer contributors, deliver the outbox.",
        discussion: "Configured by GCR_INTAKE_* environment variables (see README.md). Channels without settings stay off.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        MemoryTrimService.limitArenas()
        let app = try CLIError.exit {
            let config = try Config.load(options)
            let level = Logger.Level(rawValue: config.logLevel) ?? .info
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            let catalog = try config.loadCatalog()
            var app = IntakeApp(
                config: config, catalog: catalog, templates: try config.loadTemplates(), web: try config.loadWebTemplates(catalog), database: try config.openDatabase(),
                logger: Logger(label: "gcr-intake"))
            app.whatsAppTemplates = try WhatsAppTemplates.load(directory: config.promptsDirectory)
            return app
        }
        try await app.run()
    }
}
