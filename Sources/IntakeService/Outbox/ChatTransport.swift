import Foundation
import GRDB
import IntakeCore
import IntakeStore
import IntakeWebhook

/// Delivers outbox rows of a messaging channel (WhatsApp, Telegram, generic hook) through its API client.
/// A 429 or 5xx is retried (after Retry-After when given); any other 4xx is a permanent failure. A request
/// that timed out after it was sent is retried only where the provider recognises a repeat (`deduplicates`).
public struct ChatTransport: OutboxTransport {
    public let channel: Channel
    public let concurrency: Int
    /// The provider drops a request carrying an id it has seen (our generic hook's `id`): safe to resend.
    let deduplicates: Bool
    let database: IntakeDatabase
    let catalog: Catalog
    let send: @Sendable (ChatReply) throws -> String?
    /// WhatsApp: template messages outside the 24-hour window.
    var templates: TemplateFallback?

    public init(
        channel: Channel, database: IntakeDatabase, catalog: Catalog, concurrency: Int = 4, deduplicates: Bool = false,
        send: @escaping @Sendable (ChatReply) throws -> String?
    ) {
        self.concurrency = concurrency
        self.deduplicates = deduplicates
        self.channel = channel
        self.database = database
        self.catalog = catalog
        self.send = send
    }

    public func deliver(_ message: OutboxMessage) async throws -> String? {
        let (language, answered, lastHeard) = try await database.replyContext(for: message, channel: channel, lastHeard: templates != nil)
        if let templates, let template = OutboxTemplate.from(column: message.template),
            let resolved = templates.templates.message(kind: template.kind, language: template.language, values: template.values)
        {
            return try await deliverWithTemplate(message, lastHeard: lastHeard, resolved, fallback: templates) {
                try await deliverText(message, language: language, answered: answered)
            }
        }
        return try await deliverText(message, language: language, answered: answered)
    }

    /// Outside the window the template at once; inside it text, and the template if WhatsApp says the window closed.
    private func deliverWithTemplate(
        _ message: OutboxMessage, lastHeard: Date?, _ resolved: WhatsAppTemplates.Message, fallback: TemplateFallback,
        text: () async throws -> String?
    ) async throws -> String? {
        // WhatsApp refused this very row for the closed window after accepting it: the template, whatever our clock says.
        let refusedBefore = message.providerStatus == OutboxMessage.windowClosedStatus
        let open = !refusedBefore && lastHeard.map { fallback.clock().timeIntervalSince($0) < fallback.templates.windowHours * 3600 } ?? false
        let sendTemplate = fallback.send
        let recipient = message.recipient
        if open {
            do {
                return try await text()
            } catch let error as DeliveryError where error.providerCode == fallback.windowClosedCode && message.partsSent == 0 {
                // The window closed between our check and the provider's: the template instead.
            }
        }
        do {
            return try await Blocking.run { try sendTemplate(recipient, resolved) }
        } catch {
            throw classify(error)
        }
    }

    private func deliverText(_ message: OutboxMessage, language: String?, answered: String?) async throws -> String? {
        let options = (try? JSONDecoder().decode([Reply.Option].self, from: Data(message.options.utf8))) ?? []
        let reply = ChatReply(
            to: message.recipient, text: message.body, options: options, listButton: catalog.pack(language ?? catalog.defaultLanguage).message(.listButton),
            id: "gcr-\(message.id ?? 0)", inReplyTo: answered.map(ProviderPayload.gatewayId), partsSent: message.partsSent)
        let send = self.send
        do {
            return try await Blocking.run { try send(reply) }
        } catch let error as PartialDeliveryError {
            var failure = classify(error.underlying)
            failure.partsSent = error.partsSent
            throw failure
        } catch {
            throw classify(error)
        }
    }

    /// What the worker should do about a failed request; the summary names a status, never the body.
    func classify(_ error: any Error) -> DeliveryError {
        switch error {
        case let error as ProviderHTTPError where error.isTransient:
            return DeliveryError(.retry, summary: "HTTP \(error.status)", detail: error.description, retryAfter: error.retryAfter, channelDown: true)
        case let error as ProviderHTTPError:
            var failure = DeliveryError(.permanent, summary: "HTTP \(error.status)" + (error.code.map { " code \($0)" } ?? ""), detail: error.description)
            failure.providerCode = error.code
            return failure
        case let error as HTTPTransportError where error.mayHaveBeenDelivered && !deduplicates:
            return DeliveryError(
                .uncertain, summary: "no answer after sending", detail: error.description + " (may have been delivered; not sent again)", channelDown: true)
        case let error as HTTPTransportError:
            return DeliveryError(.retry, summary: "no HTTP answer", detail: error.description, channelDown: true)
        default:
            return DeliveryError(.retry, summary: "\(type(of: error))", detail: "\(error)")
        }
    }
}

/// WhatsApp's templates for messages outside its 24-hour customer-service window.
public struct TemplateFallback: Sendable {
    public let templates: WhatsAppTemplates
    public let windowClosedCode: Int
    public let send: @Sendable (String, WhatsAppTemplates.Message) throws -> String?
    public let clock: @Sendable () -> Date

    public init(
        templates: WhatsAppTemplates, windowClosedCode: Int, clock: @escaping @Sendable () -> Date = Date.init,
        send: @escaping @Sendable (String, WhatsAppTemplates.Message) throws -> String?
    ) {
        self.templates = templates
        self.windowClosedCode = windowClosedCode
        self.send = send
        self.clock = clock
    }
}
