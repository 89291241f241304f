import Foundation
import IntakeCore
import IntakeMail
import IntakeNotices
import IntakeStore
import IntakeWeb
import IntakeWebhook
import Logging
import ServiceLifecycle
import IntakeMetrics
import IntakePipeline

/// Wires the running service from its configuration: database, engine, the channels that are
/// configured, and the outbox worker, under one ServiceGroup that stops cleanly on SIGTERM/SIGINT.
public struct IntakeApp {
    public let config: Config
    public let catalog: Catalog
    public let templates: NoticeTemplates
    public let database: IntakeDatabase
    public let logger: Logger
    /// The dashboard's pages (templates/web/).
    public let web: WebTemplates
    /// WhatsApp templates for messages outside the 24-hour window (prompts/whatsapp.yaml).
    public var whatsAppTemplates = WhatsAppTemplates()

    public init(config: Config, catalog: Catalog, templates: NoticeTemplates, web: WebTemplates, database: IntakeDatabase, logger: Logger) {
        self.config = config
        self.catalog = catalog
        self.templates = templates
        self.web = web
        self.database = database
        self.logger = logger
    }

    let metrics = Metrics()

    func makeProcessor() -> InboundProcessor {
        let perMinute = ProcessorPolicy.ReplyCap(count: config.chat.messagesPerMinute, window: 60)
        var processor = InboundProcessor(
            database: database, engine: Engine(catalog: catalog), templates: templates,
            policy: ProcessorPolicy(
                replyCaps: [.email: .init(count: config.mailRepliesPerHour, window: 3600), .whatsapp: perMinute, .telegram: perMinute, .generic: perMinute, .web: perMinute],
                combinedChannels: [.email], messageIdDomain: config.messageIdDomain, outboxCeiling: config.outboxCeiling))
        processor.metrics = metrics
        return processor
    }

    /// The services to run; logs which channels are on, and why the others are off.
    public func services() -> [any Service] {
        let processor = makeProcessor()
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
            transports.append(
                EmailTransport(sender: sender, from: MailAddress(address: from, name: config.mailFromName), concurrency: min(config.outboxConcurrency, 4)))
            logger.info("channel email (out): on", metadata: ["smtp": "\(smtp.url)"])
        } else {
            logger.info("channel email (out): off, GCR_INTAKE_SMTP_URL is not set; email replies wait in the outbox")
        }
        transports += chatTransports()
        let chat = config.chat
        let settings = WebhookSettings(
            host: chat.host, port: chat.port, bodyLimit: chat.bodyLimit, whatsAppVerifyToken: chat.whatsAppVerifyToken,
            whatsAppAppSecret: chat.whatsAppAppSecret, telegramSecretToken: chat.telegramSecretToken, genericSecret: chat.genericSecret,
            maxConnections: chat.maxConnections, idleTimeout: chat.idleTimeout, requestTimeout: chat.requestTimeout)
        for (name, secret, variable) in [
            ("whatsapp", chat.whatsAppAppSecret, "GCR_INTAKE_WHATSAPP_APP_SECRET"), ("telegram", chat.telegramSecretToken, "GCR_INTAKE_TELEGRAM_SECRET_TOKEN"),
            ("generic", chat.genericSecret, "GCR_INTAKE_WEBHOOK_SECRET"),
        ] {
            if secret != nil { logger.info("channel \(name) (in): on at /webhooks/\(name)") } else { logger.info("channel \(name) (in): off, \(variable) is not set") }
        }
        let dashboard = DashboardRoutes(database: database, catalog: catalog, templates: web, reviewerToken: config.dashboardToken)
        logger.info(
            "dashboard: on at /dashboard; reviewer views \(config.dashboardToken == nil ? "off, GCR_INTAKE_DASHBOARD_TOKEN is not set" : "on at /dashboard/review")")
        let writer = BatchWriter(processor: processor)
        var server = WebhookServer(settings: settings, writer: writer, catalog: catalog, database: database, metrics: metrics, logger: logger)
        server.routes.append(dashboard.register)
        server.mediaFetcher = MediaFetcher(
            limit: config.mediaLimit,
            whatsApp: chat.whatsAppAccessToken.map { MediaFetcher.Credentials(apiURL: chat.whatsAppAPIURL, token: $0) },
            telegram: chat.telegramBotToken.map { MediaFetcher.Credentials(apiURL: chat.telegramAPIURL, token: $0) },
            http: HTTPClient(connectTimeoutSeconds: chat.providerConnectTimeout, timeoutSeconds: chat.providerTimeout))
        if chat.webChat {
            // Without the database's key (it could not be read) a key for this run: cookies then last until a restart.
            let cookieKey =
                (try? database.secretKey(named: "chat_cookie"))
                ?? Data((0..<32).map { _ in UInt8.random(in: 0...255) })
            var routes = ChatRoutes(
                database: database, catalog: catalog, templates: web,
                settings: {
                    var settings = ChatSettings(
                        messagesPerVisitorPerMinute: chat.webChatMessagesPerMinute, messagesPerAddressPerMinute: chat.webChatMessagesPerAddressPerMinute,
                        visitorsPerAddressPerMinute: chat.webChatVisitorsPerAddressPerMinute, bodyLimit: min(chat.bodyLimit, 64 * 1024),
                        pollsPerAddress: max(1, chat.maxConnections / 8))
                    settings.trustedProxies = Set(chat.trustedProxies)
                    return settings
                }(),
                cookieKey: cookieKey
            ) { await writer.submit($0) }
            routes.metrics = metrics
            server.routes.append(routes.register)
            server.announced.append((path: "/chat", what: "web chat"))
            logger.info("channel web (in and out): on at /chat and /chat/widget.js")
        } else {
            logger.info("channel web: off, GCR_INTAKE_WEB_CHAT is off")
        }
        services.append(server.application())
        services.append(RetentionService(database: database, days: config.retentionDays, logger: logger))
        let reminders = DraftReminders(
            engine: processor.engine, remindAfterHours: config.reminderHours, emailAfterDays: config.emailReminderDays,
            expireAfterDays: config.draftExpiryDays, messageIdDomain: config.messageIdDomain)
        services.append(ReminderService(database: database, reminders: reminders, logger: logger))
        services.append(DeferredService(processor: processor, logger: logger, metrics: metrics))
        services.append(MemoryTrimService())
        services.append(
            OutboxWorker(
                database: database, transports: transports, retrySeconds: config.outboxRetrySeconds, maxBackoffSeconds: config.outboxMaxBackoffSeconds,
                logger: logger, metrics: metrics))
        return services
    }

    /// The outbound API clients of the messaging channels that have their credentials.
    private func chatTransports() -> [any OutboxTransport] {
        let chat = config.chat
        let http = HTTPClient(connectTimeoutSeconds: chat.providerConnectTimeout, timeoutSeconds: chat.providerTimeout)
        let width = config.outboxConcurrency
        var transports: [any OutboxTransport] = []
        if let id = chat.whatsAppPhoneNumberId, let token = chat.whatsAppAccessToken {
            let client = WhatsAppClient(apiURL: chat.whatsAppAPIURL, phoneNumberId: id, accessToken: token, http: http)
            var transport = ChatTransport(channel: .whatsapp, database: database, catalog: catalog, concurrency: width) { try client.send($0) }
            transport.templates = TemplateFallback(templates: whatsAppTemplates, windowClosedCode: WhatsAppClient.windowClosedCode) {
                try client.sendTemplate(to: $0, $1)
            }
            transports.append(transport)
        } else {
            logger.info("channel whatsapp (out): off, GCR_INTAKE_WHATSAPP_PHONE_NUMBER_ID / _ACCESS_TOKEN are not set")
        }
        if let token = chat.telegramBotToken {
            let client = TelegramClient(apiURL: chat.telegramAPIURL, botToken: token, http: http)
            transports.append(ChatTransport(channel: .telegram, database: database, catalog: catalog, concurrency: width) { try client.send($0) })
        } else {
            logger.info("channel telegram (out): off, GCR_INTAKE_TELEGRAM_BOT_TOKEN is not set")
        }
        if let url = chat.genericReplyURL, let secret = chat.genericSecret {
            let client = GenericClient(replyURL: url, secret: secret, http: http)
            // The gateway gets a stable `id` per reply and can drop a repeat: a lost answer is resent.
            transports.append(
                ChatTransport(channel: .generic, database: database, catalog: catalog, concurrency: width, deduplicates: true) { try client.send($0) })
        } else {
            logger.info("channel generic (out): off, GCR_INTAKE_WEBHOOK_REPLY_URL is not set")
        }
        return transports
    }

    /// Runs until SIGTERM or SIGINT; each service finishes the message in hand first.
    public func run() async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                // Named by type: the default name is the service's description, and describing ours by
                // reflection walks the whole catalog (a tenth of a second at every start).
                services: services().map { ServiceGroupConfiguration.ServiceConfiguration(service: $0, serviceName: "\(type(of: $0))") },
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info("gcr-intake serving", metadata: ["db": "\(config.databasePath)"])
        try await group.run()
        logger.info("gcr-intake stopped")
    }
}
