import Foundation
import IntakeMail

#if canImport(Glibc)
    import Glibc
#endif

/// A setting with a bad value: names the variable, says what was expected. The CLI prints it on one line, exit code 2.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public let variable: String
    public let message: String
    public var description: String { "\(variable): \(message)" }
}

/// Every setting of the service, read once at start-up from the environment (and command-line overrides).
/// Nothing else in the program reads the environment.
public struct Config: Sendable {
    public struct IMAP: Sendable {
        public var url: MailServerURL
        public var user: String
        public var password: String
        public var mailbox: String
        public var processedMailbox: String?
        public var pollSeconds: Int
        public var batchSize: Int
    }

    public struct SMTP: Sendable {
        public var url: MailServerURL
        public var user: String?
        public var password: String?
    }

    /// The messaging side: HTTP listener, provider secrets and API endpoints. A nil secret turns its route off.
    public struct Chat: Sendable {
        public var host: String
        public var port: Int
        public var bodyLimit: Int
        public var messagesPerMinute: Int
        public var whatsAppVerifyToken: String?
        public var whatsAppAppSecret: String?
        public var whatsAppAPIURL: String
        public var whatsAppPhoneNumberId: String?
        public var whatsAppAccessToken: String?
        public var telegramSecretToken: String?
        public var telegramBotToken: String?
        public var telegramAPIURL: String
        public var genericSecret: String?
        public var genericReplyURL: String?
        /// Longest wait for a provider API's connection, and for a whole request and its answer.
        public var providerConnectTimeout: Int
        public var providerTimeout: Int
        /// Open HTTP connections at most; a client idle (or slow to send its request) this long is closed.
        public var maxConnections: Int
        public var idleTimeout: Int
        public var requestTimeout: Int
        /// The web chat at /chat (on unless GCR_INTAKE_WEB_CHAT=off) and its per-visitor message limit.
        public var webChat: Bool
        public var webChatMessagesPerMinute: Int
        /// Messages and new visitors per IP address per minute; the reverse proxies whose X-Forwarded-For is believed.
        public var webChatMessagesPerAddressPerMinute: Int
        public var webChatVisitorsPerAddressPerMinute: Int
        public var trustedProxies: [String]
    }

    public var databasePath: String
    public var chat: Chat
    public var promptsDirectory: String
    public var templatesDirectory: String
    public var imap: IMAP?
    public var smtp: SMTP?
    /// Our address: the From of every reply, and mail from it is never answered.
    public var mailFrom: String?
    public var mailFromName: String?
    public var attachmentLimit: Int
    /// Largest voice note, photo or file fetched from WhatsApp or Telegram, in bytes.
    public var mediaLimit: Int
    public var mailRepliesPerHour: Int
    public var outboxRetrySeconds: Double
    public var outboxMaxBackoffSeconds: Double
    /// Rows of one channel in flight at once.
    public var outboxConcurrency: Int
    /// Undelivered rows at most: past it, new messages wait (deferred) instead of queueing more replies.
    public var outboxCeiling: Int
    public var logLevel: String
    /// Days after which abandoned drafts, raw mail and delivered messages are purged.
    public var retentionDays: Int
    /// Opens the dashboard's reviewer views (`Authorization: Bearer TOKEN`); nil keeps them off.
    public var dashboardToken: String?
    /// Idle drafts: a reminder after `reminderHours` on their channel, a second by email after `emailReminderDays`
    /// (when an address is known), expiry after `draftExpiryDays`.
    public var reminderHours: Int
    public var emailReminderDays: Int
    public var draftExpiryDays: Int

    /// Reads the configuration; `overrides` (from command-line options) win over the environment.
    public init(environment: [String: String], overrides: [String: String] = [:]) throws {
        let env = environment.merging(overrides.filter { !$0.value.isEmpty }) { $1 }
        func value(_ name: String) -> String? { env[name].flatMap { $0.isEmpty ? nil : $0 } }
        func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
            guard let text = value(name) else { return fallback }
            guard let number = Int(text), range.contains(number) else {
                throw ConfigError(variable: name, message: "expected a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
            }
            return number
        }
        func switchValue(_ name: String, default fallback: Bool) throws -> Bool {
            guard let text = value(name)?.lowercased() else { return fallback }
            if ["on", "1", "true", "yes"].contains(text) { return true }
            if ["off", "0", "false", "no"].contains(text) { return false }
            throw ConfigError(variable: name, message: "expected on or off, got '\(text)'")
        }
        func addresses(_ name: String) throws -> [String] {
            guard let text = value(name) else { return [] }
            let list = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for address in list where !Self.isIPAddress(address) {
                throw ConfigError(variable: name, message: "expected IP addresses separated by commas (e.g. 127.0.0.1,::1), got '\(address)'")
            }
            return list
        }
        databasePath = value("GCR_INTAKE_DB") ?? "./gcr-intake.sqlite"
        promptsDirectory = value("GCR_INTAKE_PROMPTS") ?? "./prompts"
        templatesDirectory = value("GCR_INTAKE_TEMPLATES") ?? "./templates"
        logLevel = value("GCR_INTAKE_LOG_LEVEL") ?? "info"
        guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(logLevel) else {
            throw ConfigError(variable: "GCR_INTAKE_LOG_LEVEL", message: "expected trace, debug, info, notice, warning, error or critical, got '\(logLevel)'")
        }
        retentionDays = try integer("GCR_INTAKE_RETENTION_DAYS", default: 180, range: 1...36_500)
        dashboardToken = value("GCR_INTAKE_DASHBOARD_TOKEN")
        reminderHours = try integer("GCR_INTAKE_REMINDER_HOURS", default: 23, range: 1...8760)
        emailReminderDays = try integer("GCR_INTAKE_EMAIL_REMINDER_DAYS", default: 3, range: 1...365)
        draftExpiryDays = try integer("GCR_INTAKE_DRAFT_EXPIRY_DAYS", default: 30, range: 1...3650)
        // In order: the reminder, then the email, then expiry (else two would go in one sweep, or none before expiry).
        guard reminderHours < emailReminderDays * 24 else {
            throw ConfigError(variable: "GCR_INTAKE_REMINDER_HOURS", message: "must be less than GCR_INTAKE_EMAIL_REMINDER_DAYS × 24 (\(emailReminderDays * 24)), got \(reminderHours)")
        }
        guard emailReminderDays < draftExpiryDays else {
            throw ConfigError(variable: "GCR_INTAKE_EMAIL_REMINDER_DAYS", message: "must be less than GCR_INTAKE_DRAFT_EXPIRY_DAYS (\(draftExpiryDays)), got \(emailReminderDays)")
        }
        if let token = dashboardToken, token.count < 16 {
            throw ConfigError(variable: "GCR_INTAKE_DASHBOARD_TOKEN", message: "expected at least 16 characters (a long random token), got \(token.count)")
        }
        attachmentLimit = try integer("GCR_INTAKE_MAIL_ATTACHMENT_LIMIT", default: 10 * 1024 * 1024, range: 0...1_000_000_000)
        mediaLimit = try integer("GCR_INTAKE_MEDIA_LIMIT", default: 16 * 1024 * 1024, range: 1024...100 * 1024 * 1024)
        mailRepliesPerHour = try integer("GCR_INTAKE_MAIL_REPLIES_PER_HOUR", default: 20, range: 1...100_000)
        outboxRetrySeconds = Double(try integer("GCR_INTAKE_OUTBOX_RETRY_SECONDS", default: 5, range: 1...86_400))
        outboxMaxBackoffSeconds = Double(try integer("GCR_INTAKE_OUTBOX_MAX_BACKOFF_SECONDS", default: 600, range: 1...604_800))
        outboxConcurrency = try integer("GCR_INTAKE_OUTBOX_CONCURRENCY", default: 4, range: 1...64)
        outboxCeiling = try integer("GCR_INTAKE_OUTBOX_CEILING", default: 20_000, range: 10...10_000_000)
        if let from = value("GCR_INTAKE_MAIL_FROM") {
            let parts = from.split(separator: "@")
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !from.contains(where: { $0.isWhitespace || "<>\r\n".contains($0) }) else {
                throw ConfigError(variable: "GCR_INTAKE_MAIL_FROM", message: "expected an address such as intake@example.org, got '\(from)'")
            }
            mailFrom = from.lowercased()
        }
        mailFromName = value("GCR_INTAKE_MAIL_FROM_NAME")
        if mailFromName?.contains(where: \.isNewline) == true {
            throw ConfigError(variable: "GCR_INTAKE_MAIL_FROM_NAME", message: "must be one line")
        }
        if let text = value("GCR_INTAKE_IMAP_URL") {
            guard let url = MailServerURL(text, schemes: MailServerURL.imapSchemes) else {
                throw ConfigError(variable: "GCR_INTAKE_IMAP_URL", message: "expected imap://host:port or imaps://host:port, got '\(text)'")
            }
            guard let user = value("GCR_INTAKE_IMAP_USER") else { throw ConfigError(variable: "GCR_INTAKE_IMAP_USER", message: "required with GCR_INTAKE_IMAP_URL") }
            guard let password = value("GCR_INTAKE_IMAP_PASSWORD") else {
                throw ConfigError(variable: "GCR_INTAKE_IMAP_PASSWORD", message: "required with GCR_INTAKE_IMAP_URL")
            }
            imap = IMAP(
                url: url, user: user, password: password, mailbox: value("GCR_INTAKE_IMAP_MAILBOX") ?? "INBOX",
                processedMailbox: value("GCR_INTAKE_IMAP_PROCESSED_MAILBOX"),
                pollSeconds: try integer("GCR_INTAKE_IMAP_POLL_SECONDS", default: 30, range: 1...86_400),
                batchSize: try integer("GCR_INTAKE_IMAP_BATCH", default: 50, range: 1...10_000))
        }
        if let text = value("GCR_INTAKE_SMTP_URL") {
            guard let url = MailServerURL(text, schemes: MailServerURL.smtpSchemes) else {
                throw ConfigError(variable: "GCR_INTAKE_SMTP_URL", message: "expected smtp://host:port or smtps://host:port, got '\(text)'")
            }
            smtp = SMTP(url: url, user: value("GCR_INTAKE_SMTP_USER"), password: value("GCR_INTAKE_SMTP_PASSWORD"))
        }
        func url(_ name: String, default fallback: String?) throws -> String? {
            guard let text = value(name) ?? fallback else { return nil }
            guard let parts = URLComponents(string: text), ["http", "https"].contains(parts.scheme ?? ""), parts.host?.isEmpty == false else {
                throw ConfigError(variable: name, message: "expected an http:// or https:// URL, got '\(text)'")
            }
            return text
        }
        chat = Chat(
            host: value("GCR_INTAKE_HTTP_HOST") ?? "127.0.0.1",
            port: try integer("GCR_INTAKE_HTTP_PORT", default: 8080, range: 0...65_535),
            bodyLimit: try integer("GCR_INTAKE_HTTP_BODY_LIMIT", default: 256 * 1024, range: 1024...100_000_000),
            messagesPerMinute: try integer("GCR_INTAKE_CHAT_MESSAGES_PER_MINUTE", default: 30, range: 1...100_000),
            whatsAppVerifyToken: value("GCR_INTAKE_WHATSAPP_VERIFY_TOKEN"), whatsAppAppSecret: value("GCR_INTAKE_WHATSAPP_APP_SECRET"),
            whatsAppAPIURL: try url("GCR_INTAKE_WHATSAPP_API_URL", default: "https://graph.facebook.com/v21.0")!,
            whatsAppPhoneNumberId: value("GCR_INTAKE_WHATSAPP_PHONE_NUMBER_ID"), whatsAppAccessToken: value("GCR_INTAKE_WHATSAPP_ACCESS_TOKEN"),
            telegramSecretToken: value("GCR_INTAKE_TELEGRAM_SECRET_TOKEN"), telegramBotToken: value("GCR_INTAKE_TELEGRAM_BOT_TOKEN"),
            telegramAPIURL: try url("GCR_INTAKE_TELEGRAM_API_URL", default: "https://api.telegram.org")!,
            genericSecret: value("GCR_INTAKE_WEBHOOK_SECRET"), genericReplyURL: try url("GCR_INTAKE_WEBHOOK_REPLY_URL", default: nil),
            providerConnectTimeout: try integer("GCR_INTAKE_PROVIDER_CONNECT_TIMEOUT_SECONDS", default: 5, range: 1...300),
            providerTimeout: try integer("GCR_INTAKE_PROVIDER_TIMEOUT_SECONDS", default: 20, range: 1...600),
            maxConnections: try integer("GCR_INTAKE_HTTP_MAX_CONNECTIONS", default: 1024, range: 1...1_000_000),
            idleTimeout: try integer("GCR_INTAKE_HTTP_IDLE_SECONDS", default: 30, range: 1...3600),
            requestTimeout: try integer("GCR_INTAKE_HTTP_REQUEST_SECONDS", default: 10, range: 1...600),
            webChat: try switchValue("GCR_INTAKE_WEB_CHAT", default: true),
            webChatMessagesPerMinute: try integer("GCR_INTAKE_WEB_CHAT_MESSAGES_PER_MINUTE", default: 30, range: 1...10_000),
            webChatMessagesPerAddressPerMinute: try integer("GCR_INTAKE_WEB_CHAT_MESSAGES_PER_ADDRESS_PER_MINUTE", default: 120, range: 1...1_000_000),
            webChatVisitorsPerAddressPerMinute: try integer("GCR_INTAKE_WEB_CHAT_VISITORS_PER_ADDRESS_PER_MINUTE", default: 60, range: 1...1_000_000),
            trustedProxies: try addresses("GCR_INTAKE_TRUSTED_PROXIES"))
        if chat.whatsAppAppSecret != nil, chat.whatsAppVerifyToken == nil {
            throw ConfigError(variable: "GCR_INTAKE_WHATSAPP_VERIFY_TOKEN", message: "required with GCR_INTAKE_WHATSAPP_APP_SECRET")
        }
        if (chat.whatsAppPhoneNumberId == nil) != (chat.whatsAppAccessToken == nil) {
            throw ConfigError(variable: "GCR_INTAKE_WHATSAPP_ACCESS_TOKEN", message: "GCR_INTAKE_WHATSAPP_PHONE_NUMBER_ID and GCR_INTAKE_WHATSAPP_ACCESS_TOKEN go together")
        }
        if chat.genericReplyURL != nil, chat.genericSecret == nil {
            throw ConfigError(variable: "GCR_INTAKE_WEBHOOK_SECRET", message: "required with GCR_INTAKE_WEBHOOK_REPLY_URL (replies are signed)")
        }
        if (imap != nil || smtp != nil) && mailFrom == nil {
            throw ConfigError(variable: "GCR_INTAKE_MAIL_FROM", message: "required when IMAP or SMTP is configured (our own address)")
        }
    }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    /// The domain of our Message-IDs.
    public var messageIdDomain: String {
        mailFrom.flatMap { $0.split(separator: "@").last.map(String.init) } ?? "gcr-intake.invalid"
    }
}
