import Foundation
import IntakeCore
import IntakeMail
import IntakeStore
import Logging
import ServiceLifecycle

/// Wires the running service from its configuration: database, engine, the channels that are
/// configured, and the outbox worker, under one ServiceGroup that stops cleanly on SIGTERM/SIGINT.
public struct IntakeApp {
    public let config: Config
    public let catalog: Catalog
    public let database: IntakeDatabase
    public let logger: Logger

    public init(config: Config, catalog: Catalog, database: IntakeDatabase, logger: Logger) {
        self.config = config
        self.catalog = catalog
        self.database = database
        self.logger = logger
    }

    public var processor: InboundProcessor {
        InboundProcessor(
            database: database, engine: Engine(catalog: catalog),
            policy: ProcessorPolicy(
                replyCaps: ["email": .init(count: config.mailRepliesPerHour, window: 3600)], combinedChannels: ["email"],
                messageIdDomain: config.messageIdDomain))
    }

    /// The services to run; logs which channels are on, and why the others are off.
    public func services() -> [any Service] {
        var services: [any Service] = []
        var transports: [any OutboxTransport] = []
        if let imap = config.imap {
            let mail = MailInbound(ourAddresses: [config.mailFrom].compactMap { $0 }, attachmentLimit: config.attachmentLimit)
            services.append(MailIngestService(config: imap, processor: processor, mail: mail, logger: logger))
            logger.info("channel email (in): on", metadata: ["imap": "\(imap.url)", "mailbox": "\(imap.mailbox)"])
        } else {
            logger.info("channel email (in): off, GCR_INTAKE_IMAP_URL is not set")
        }
        if let smtp = config.smtp, let from = config.mailFrom {
            let sender = SMTPSender(url: smtp.url, user: smtp.user, password: smtp.password)
            transports.append(EmailTransport(sender: sender, from: MailAddress(address: from, name: config.mailFromName)))
            logger.info("channel email (out): on", metadata: ["smtp": "\(smtp.url)"])
        } else {
            logger.info("channel email (out): off, GCR_INTAKE_SMTP_URL is not set; email replies wait in the outbox")
        }
        logger.info("channel webhooks: off, not part of this version")
        services.append(
            OutboxWorker(
                database: database, transports: transports, retrySeconds: config.outboxRetrySeconds, maxBackoffSeconds: config.outboxMaxBackoffSeconds,
                logger: logger))
        return services
    }

    /// Runs until SIGTERM or SIGINT; each service finishes the message in hand first.
    public func run() async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services().map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info("gcr-intake serving", metadata: ["db": "\(config.databasePath)"])
        try await group.run()
        logger.info("gcr-intake stopped")
    }
}
