import Foundation
import IntakeStore
import Logging
import ServiceLifecycle

/// Sends the reminders of idle drafts and expires old ones (see `DraftReminders`), at start-up and then
/// every `interval` seconds. Each message is queued in the transaction that records it: once, even across a kill.
public struct ReminderService: Service {
    let database: IntakeDatabase
    let reminders: DraftReminders
    let interval: Double
    let logger: Logger
    let clock: @Sendable () -> Date

    public init(database: IntakeDatabase, reminders: DraftReminders, interval: Double = 60, logger: Logger, clock: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.reminders = reminders
        self.interval = interval
        self.logger = logger
        self.clock = clock
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await pass()
            _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(interval)) }
        }
    }

    /// Sweeps until nothing is left to do now.
    func pass() async {
        var total = DraftReminders.Report()
        do {
            while !Task.isShuttingDownGracefully {
                let now = clock()
                let report = try await database.sweep(reminders, now: now)
                total.reminded += report.reminded
                total.emailed += report.emailed
                total.expired += report.expired
                if report.total > 0 { database.outboxBell.ring() }
                if report.total < 200 { break }
            }
        } catch {
            logger.error("reminders: sweep failed, tried again later", metadata: ["error": "\(type(of: error))"])
        }
        if total.total > 0 {
            logger.info("reminders: queued", metadata: ["reminded": "\(total.reminded)", "emailed": "\(total.emailed)", "expired": "\(total.expired)"])
        }
    }
}
