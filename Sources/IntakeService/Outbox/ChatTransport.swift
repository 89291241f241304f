import Foundation
import GRDB
import IntakeCore
import IntakeStore
import IntakeWebhook

/// Delivers outbox rows of a messaging channel (WhatsApp, Telegram, generic hook) through its API client.
/// A 429 or 5xx is retried (after Retry-After when given); any other 4xx is a permanent failure. A request
/// that timed out after it was sent is retried only where the provider recognises a repeat (`deduplicates`).
public struct ChatTransport: OutboxTransport {
    public let channel: String
    public let concurrency: Int
    /// The provider drops a request carrying an id it has seen (our generic hook's `id`): safe to resend.
    let deduplicates: Bool
    let database: IntakeDatabase
    let catalog: Catalog
    let send: @Sendable (ChatReply) throws -> String?

    public init(
        channel: String, database: IntakeDatabase, catalog: Catalog, concurrency: Int = 4, deduplicates: Bool = false,
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
        let (language, answered) = try await database.pool.read { db -> (String?, String?) in
            let language = try message.contactId.flatMap { try String.fetchOne(db, sql: "SELECT language FROM contact WHERE id = ?", arguments: [$0]) }
            let answered = try message.inboundId.flatMap { try String.fetchOne(db, sql: "SELECT external_id FROM inbound WHERE id = ?", arguments: [$0]) }
            return (language, answered)
        }
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
            return DeliveryError(.permanent, summary: "HTTP \(error.status)", detail: error.description)
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
