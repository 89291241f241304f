import Foundation
import GRDB
import IntakeCore
import IntakeStore
import IntakeWebhook

/// Delivers outbox rows of a messaging channel (WhatsApp, Telegram, generic hook) through its API client.
/// A 429 or 5xx is retried (after Retry-After when given); any other 4xx is a permanent failure.
public struct ChatTransport: OutboxTransport {
    public let channel: String
    let database: IntakeDatabase
    let catalog: Catalog
    let send: @Sendable (ChatReply) throws -> String?

    public init(channel: String, database: IntakeDatabase, catalog: Catalog, send: @escaping @Sendable (ChatReply) throws -> String?) {
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
            to: message.recipient, text: message.body, options: options, listButton: catalog.pack(language ?? catalog.defaultLanguage).message("list_button"),
            id: "gcr-\(message.id ?? 0)", inReplyTo: answered)
        let send = self.send
        do {
            return try await Blocking.run { try send(reply) }
        } catch let error as ProviderHTTPError where error.isTransient {
            throw RetryLaterError(after: error.retryAfter, description: error.description)
        } catch let error as ProviderHTTPError {
            throw PermanentDeliveryError(error.description)
        }
    }
}
