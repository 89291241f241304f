import Foundation
import IntakeStore
import IntakeWebhook
import Logging
import ServiceLifecycle
import IntakeMetrics
import IntakePipeline

/// Answers messages that had to wait (a contributor over their reply cap, a full outbox) as soon as
/// they may be answered, oldest first; says once when the outbox fills up and once when it drains.
public struct DeferredService: Service {
    let processor: InboundProcessor
    let logger: Logger
    let metrics: Metrics?
    let interval: Duration

    public init(processor: InboundProcessor, logger: Logger, metrics: Metrics?, interval: Duration = .seconds(1)) {
        self.processor = processor
        self.logger = logger
        self.metrics = metrics
        self.interval = interval
    }

    public func run() async throws {
        let ceiling = processor.policy.outboxCeiling
        var full = false
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let (backlog, resumed) = try await processor.resumeDeferred(now: Date())
                if resumed > 0 {
                    processor.database.outboxBell.ring()
                    logger.info("waiting messages answered", metadata: ["count": "\(resumed)"])
                }
                metrics?.gauge("gcr_intake_outbox_full", [:], backlog >= ceiling ? 1 : 0)
                if (backlog >= ceiling) != full {
                    full.toggle()
                    if full {
                        logger.warning("outbox full: new messages wait until replies go out", metadata: ["backlog": "\(backlog)", "ceiling": "\(ceiling)"])
                    } else {
                        logger.notice("outbox below its ceiling again", metadata: ["backlog": "\(backlog)"])
                    }
                }
            } catch {
                logger.error("waiting messages not resumed", metadata: ["error": "\(type(of: error))"])
            }
            _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
