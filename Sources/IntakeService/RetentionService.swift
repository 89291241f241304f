import Foundation
import IntakeStore
import Logging
import ServiceLifecycle

/// Applies the retention rule at start-up and then hourly: abandoned drafts, raw mail and delivered
/// messages older than `days` are purged (see `Retention`).
public struct RetentionService: Service {
    let database: IntakeDatabase
    let days: Int
    let logger: Logger

    public init(database: IntakeDatabase, days: Int, logger: Logger) {
        self.database = database
        self.days = days
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let cutoff = Date().addingTimeInterval(-Double(days) * 86_400)
            do {
                let purge = try await database.purge(before: cutoff)
                if purge.drafts + purge.inbound + purge.outbox > 0 {
                    logger.info(
                        "retention: purged", metadata: ["drafts": "\(purge.drafts)", "inbound": "\(purge.inbound)", "outbox": "\(purge.outbox)", "days": "\(days)"])
                }
            } catch {
                logger.error("retention: purge failed, tried again in an hour", metadata: ["error": "\(error)"])
            }
            _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(3600)) }
        }
    }
}
