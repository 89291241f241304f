import Foundation
import GRDB
import IntakeStore
import Logging
import IntakeWebhook
import ServiceLifecycle

/// Delivers one outbox row on one channel. Returns the provider's id for it, if any.
public protocol OutboxTransport: Sendable {
    var channel: String { get }
    func deliver(_ message: OutboxMessage) async throws -> String?
}

/// A delivery failure that trying again will not fix (a 5xx, a refused message).
public struct PermanentDeliveryError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A delivery failure to retry, not before `after` seconds when the provider said so (Retry-After).
public struct RetryLaterError: Error, CustomStringConvertible, Sendable {
    public let after: Double?
    public let description: String
    public init(after: Double?, description: String) {
        self.after = after
        self.description = description
    }
}

/// Sends due outbox rows through their channel's transport; a failure is retried with exponential
/// backoff (attempts and last error recorded), a permanent one is marked failed and left visible.
public struct OutboxWorker: Service {
    let database: IntakeDatabase
    let transports: [String: any OutboxTransport]
    let retrySeconds: Double
    let maxBackoffSeconds: Double
    let logger: Logger
    let metrics: Metrics?

    public init(
        database: IntakeDatabase, transports: [any OutboxTransport], retrySeconds: Double, maxBackoffSeconds: Double, logger: Logger, metrics: Metrics? = nil
    ) {
        self.metrics = metrics
        self.database = database
        self.transports = Dictionary(uniqueKeysWithValues: transports.map { ($0.channel, $0) })
        self.retrySeconds = retrySeconds
        self.maxBackoffSeconds = maxBackoffSeconds
        self.logger = logger
    }

    public func run() async throws {
        guard !transports.isEmpty else {
            logger.info("outbox worker idle: no outbound channel configured")
            return try await gracefulShutdown()  // a service that returns early would stop the whole group
        }
        logger.info("outbox worker started", metadata: ["channels": "\(transports.keys.sorted().joined(separator: ","))"])
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let sent = try await deliverDue()
            if sent == 0 { try? await Task.sleep(for: .milliseconds(500)) }
        }
    }

    /// One pass over due rows; returns how many were attempted.
    func deliverDue() async throws -> Int {
        let due = try await database.pool.read { db in try OutboxMessage.due(channels: Array(transports.keys), at: Date(), limit: 50, db: db) }
        for message in due {
            if Task.isShuttingDownGracefully { break }
            await deliver(message)
        }
        return due.count
    }

    private func deliver(_ message: OutboxMessage) async {
        guard let transport = transports[message.channel], let id = message.id else { return }
        do {
            let externalId = try await transport.deliver(message)
            try await database.pool.write { db in try OutboxMessage.markSent(id: id, at: Date(), externalId: externalId, db: db) }
            metrics?.count("gcr_intake_outbound_total", ["channel": message.channel, "result": "sent"])
            logger.info("reply delivered", metadata: ["outbox": "\(id)", "channel": "\(message.channel)", "attempt": "\(message.attempts + 1)"])
        } catch {
            let permanent = error is PermanentDeliveryError
            let backoff = min(retrySeconds * pow(2, Double(message.attempts)), maxBackoffSeconds)
            let delay = max(backoff, (error as? RetryLaterError)?.after ?? 0)
            let retryAt = permanent ? nil : Date().addingTimeInterval(delay)
            metrics?.count("gcr_intake_outbound_total", ["channel": message.channel, "result": permanent ? "failed" : "retry"])
            try? await database.pool.write { db in
                try OutboxMessage.markFailed(id: id, error: "\(error)", retryAt: retryAt, at: Date(), db: db)
            }
            logger.warning(
                permanent ? "reply failed for good" : "reply delivery failed, will retry",
                metadata: ["outbox": "\(id)", "channel": "\(message.channel)", "error": "\(error)", "retry_in_s": "\(permanent ? "never" : "\(Int(delay))")"])
        }
    }
}
