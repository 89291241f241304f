import Foundation
import GRDB
import IntakeCore
import IntakeMetrics
import IntakeStore
import IntakeWebhook
import Logging
import ServiceLifecycle

/// Sends due outbox rows through their channel's transport. Each channel has a lane of its own (a slow
/// provider never delays another channel) with a few rows in flight at once. A failed row is retried
/// with exponential backoff; when the channel itself fails (no connection, 5xx, 429) the lane holds its
/// other rows back and sends one probe per backoff step until the channel answers again, logging only
/// the changes of state.
public struct OutboxWorker: Service {
    let database: IntakeDatabase
    let transports: [any OutboxTransport]
    let backoff: Backoff
    let logger: Logger
    let metrics: Metrics?
    let clock: @Sendable () -> Date

    public init(
        database: IntakeDatabase, transports: [any OutboxTransport], retrySeconds: Double, maxBackoffSeconds: Double, logger: Logger,
        metrics: Metrics? = nil, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.metrics = metrics
        self.database = database
        self.transports = transports
        self.backoff = Backoff(base: retrySeconds, maximum: maxBackoffSeconds)
        self.logger = logger
        self.clock = clock
    }

    public func run() async throws {
        guard !transports.isEmpty else {
            logger.info("outbox worker idle: no outbound channel configured")
            return try await gracefulShutdown()  // a service that returns early would stop the whole group
        }
        logger.info("outbox worker started", metadata: ["channels": "\(transports.map(\.channel.rawValue).sorted().joined(separator: ","))"])
        await withDiscardingTaskGroup { group in
            for transport in transports {
                let lane = OutboxLane(worker: self, transport: transport)
                group.addTask { await lane.run() }
            }
        }
    }
}

/// Exponential backoff, always finite and within [0, maximum].
public struct Backoff: Sendable {
    public let base: Double
    public let maximum: Double

    public init(base: Double, maximum: Double) {
        self.base = max(0, base.isFinite ? base : 1)
        self.maximum = max(self.base, maximum.isFinite ? maximum : 600)
    }

    /// The wait after `attempts` failures, at least what the provider asked (Retry-After), at most `maximum`.
    public func delay(attempts: Int, providerAsked: Double? = nil) -> Double {
        let exponent = Double(min(max(attempts, 0), 60))
        let own = min(base * pow(2, exponent), maximum)
        let asked = providerAsked.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil } ?? 0
        return min(max(own, asked), maximum)
    }
}

/// The delivery loop of one channel.
struct OutboxLane: Sendable {
    let worker: OutboxWorker
    let transport: any OutboxTransport
    var channel: Channel { transport.channel }
    var logger: Logger { worker.logger }

    /// Whether the channel answers, and when to probe it next while it does not.
    struct Health {
        var downSince: Date?
        var failures = 0
        var probeAt = Date.distantPast
    }

    func run() async {
        var health = Health()
        worker.metrics?.gauge("gcr_intake_channel_up", ["channel": channel.rawValue], 1)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = worker.clock()
            if health.downSince != nil, now < health.probeAt {
                await pause(seconds: min(0.5, health.probeAt.timeIntervalSince(now)))
                continue
            }
            let attempted: Int
            let rings = worker.database.outboxBell.rings
            do {
                attempted = try await pass(&health)
            } catch {
                // The database itself failed (disk full, locked): say so without row data and try again later.
                logger.error("outbox read failed", metadata: ["channel": "\(channel.rawValue)", "error": "\(type(of: error))"])
                attempted = 0
                await pause(seconds: 2)
            }
            // Nothing due: until replies are queued here (the bell) or, for rows from another process, the next poll.
            if attempted == 0 { await worker.database.outboxBell.wait(seconds: 0.5, after: rings) }
        }
    }

    /// One batch of due rows (only one, the probe, while the channel is down); returns how many were tried.
    private func pass(_ health: inout Health) async throws -> Int {
        let limit = health.downSince == nil ? max(1, transport.concurrency) * 4 : 1
        let now = worker.clock()
        let (due, unreadable) = try await worker.database.dueOutbox(channel: channel, at: now, limit: limit)
        for id in unreadable {
            worker.metrics?.count("gcr_intake_outbound_total", ["channel": channel.rawValue, "result": "unreadable"])
            logger.error("outbox row unreadable, marked failed", metadata: ["outbox": "\(id)", "channel": "\(channel.rawValue)"])
        }
        guard !due.isEmpty else { return unreadable.count }
        let outcomes = await deliverAll(due)
        let channelFailure = outcomes.compactMap { $0 }.first { $0.channelDown }
        let anySuccess = outcomes.contains { $0 == nil }
        if let failure = channelFailure, !anySuccess {
            health.failures += 1
            let wait = worker.backoff.delay(attempts: health.failures - 1, providerAsked: failure.retryAfter)
            health.probeAt = worker.clock().addingTimeInterval(wait)
            if health.downSince == nil {
                health.downSince = worker.clock()
                worker.metrics?.gauge("gcr_intake_channel_up", ["channel": channel.rawValue], 0)
                logger.warning("channel down, holding its replies", metadata: ["channel": "\(channel.rawValue)", "error": "\(failure.summary)"])
            }
        } else if health.downSince != nil, anySuccess {
            logger.notice("channel answers again, sending its backlog", metadata: ["channel": "\(channel.rawValue)", "failures": "\(health.failures)"])
            worker.metrics?.gauge("gcr_intake_channel_up", ["channel": channel.rawValue], 1)
            health = Health()
        }
        return due.count
    }

    /// Delivers `rows` with at most `concurrency` in flight; nil for a success, else its failure.
    private func deliverAll(_ rows: [OutboxMessage]) async -> [DeliveryError?] {
        let width = max(1, transport.concurrency)
        return await withTaskGroup(of: (Int, DeliveryError?).self) { group in
            var results = [DeliveryError?](repeating: nil, count: rows.count)
            var next = 0
            var stop = false
            func launch() {
                let index = next
                let row = rows[index]
                next += 1
                group.addTask { (index, await deliver(row)) }
            }
            while next < min(width, rows.count) { launch() }
            for await (index, failure) in group {
                results[index] = failure
                // A channel failure stops the batch: the rest wait for the next probe.
                if failure?.channelDown == true { stop = true }
                if !stop, next < rows.count, !Task.isShuttingDownGracefully { launch() }
            }
            return Array(results.prefix(next))
        }
    }

    private func deliver(_ message: OutboxMessage) async -> DeliveryError? {
        guard let id = message.id else { return nil }
        do {
            let started = DispatchTime.now().uptimeNanoseconds
            let externalId: String?
            do {
                defer { worker.metrics?.observe(.send, channel: channel.rawValue, nanoseconds: DispatchTime.now().uptimeNanoseconds &- started) }
                externalId = try await transport.deliver(message)
            }
            try await worker.database.markSent(outboxId: id, at: worker.clock(), externalId: externalId)
            worker.metrics?.count("gcr_intake_outbound_total", ["channel": channel.rawValue, "result": "sent"])
            logger.info("reply delivered", metadata: ["outbox": "\(id)", "channel": "\(channel.rawValue)", "attempt": "\(message.attempts + 1)"])
            return nil
        } catch {
            let failure = error as? DeliveryError ?? DeliveryError(.retry, summary: "\(type(of: error))", detail: "\(type(of: error))")
            let retryIn = worker.backoff.delay(attempts: message.attempts, providerAsked: failure.retryAfter)
            let retryAt = failure.kind == .retry ? worker.clock().addingTimeInterval(retryIn) : nil
            let result = failure.kind == .retry ? "retry" : failure.kind == .uncertain ? "uncertain" : "failed"
            worker.metrics?.count("gcr_intake_outbound_total", ["channel": channel.rawValue, "result": result])
            do {
                try await worker.database.markFailed(
                    outboxId: id, error: String(failure.detail.prefix(500)), retryAt: retryAt, partsSent: failure.partsSent, at: worker.clock())
            } catch {
                logger.error("outbox row not updated", metadata: ["outbox": "\(id)", "channel": "\(channel.rawValue)", "error": "\(type(of: error))"])
            }
            // While the channel is down the lane logs once (see `pass`), not once per row.
            if !failure.channelDown {
                logger.warning(
                    failure.kind == .retry ? "reply delivery failed, will retry" : "reply not delivered, not retried",
                    metadata: [
                        "outbox": "\(id)", "channel": "\(channel.rawValue)", "error": "\(failure.summary)",
                        "retry_in_s": "\(retryAt == nil ? "never" : String(format: "%.0f", retryIn))",
                    ])
            }
            return failure
        }
    }

    private func pause(seconds: Double) async {
        try? await Task.sleep(for: .milliseconds(Int(max(0.01, min(seconds, 5)) * 1000)))
    }
}
