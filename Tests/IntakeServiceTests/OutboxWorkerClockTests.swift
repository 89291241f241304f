import Foundation
import GRDB
import IntakeCore
import IntakeService
@testable import IntakeStore
import Logging
import XCTest

/// The outbox worker against a transport that fails on demand, with an injected clock: the next attempt
/// is set from that clock and the backoff, a row waits until the clock passes it, and a permanent
/// failure is never tried again.
final class OutboxWorkerClockTests: XCTestCase {
    /// Fails the attempts it is told to, records every one.
    final class ScriptedTransport: OutboxTransport, @unchecked Sendable {
        let channel = Channel.generic
        let concurrency = 1
        private let lock = NSLock()
        private var script: [DeliveryError?]
        private(set) var attempts: [Int64] = []

        init(_ script: [DeliveryError?]) { self.script = script }

        func deliver(_ message: OutboxMessage) async throws -> String? {
            let next: DeliveryError?? = lock.withLock {
                attempts.append(message.id ?? -1)
                return script.isEmpty ? .some(nil) : script.removeFirst()
            }
            if let failure = next ?? nil { throw failure }
            return "provider-\(message.id ?? -1)"
        }

        var count: Int { lock.withLock { attempts.count } }
    }

    struct Timeout: Error { let what: String }

    /// A clock the test moves by hand.
    final class ManualClock: @unchecked Sendable {
        private let lock = NSLock()
        private var current: Date
        init(_ start: Date) { current = start }
        var now: Date { lock.withLock { current } }
        func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
    }

    func testRetryTimesComeFromTheInjectedClockAndBackoff() async throws {
        let path = NSTemporaryDirectory() + "worker-clock-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try IntakeDatabase(path: path)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let clock = ManualClock(start)
        let ids: [Int64] = try await database.writer.write { db in
            try ["+15550001", "+15550002"].map { recipient in
                try db.execute(
                    sql: """
                        INSERT INTO outbox (channel, recipient, body, options, headers, attempts, next_attempt_at, created_at)
                        VALUES ('generic', ?, 'Thank you', '[]', '{}', 0, ?, ?)
                        """, arguments: [recipient, start, start])
                return db.lastInsertedRowID
            }
        }
        // First row: one failure to retry, then success. Second row: refused for good.
        let transport = ScriptedTransport([
            DeliveryError(.retry, summary: "HTTP 500", detail: "500"), DeliveryError(.permanent, summary: "HTTP 400", detail: "400"),
        ])
        let worker = OutboxWorker(
            database: database, transports: [transport], retrySeconds: 30, maxBackoffSeconds: 600, logger: Logger(label: "test"), clock: { clock.now })
        let running = Task { try await worker.run() }
        defer { running.cancel() }

        func waitFor(_ what: String, _ condition: () async throws -> Bool) async throws {
            let deadline = Date().addingTimeInterval(20)
            while try await !condition() {
                if Date() > deadline { throw Timeout(what: what) }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        try await waitFor("both rows tried") { transport.count >= 2 }
        let retryAt = try await database.writer.read { db in try Date.fetchOne(db, sql: "SELECT next_attempt_at FROM outbox WHERE id = ?", arguments: [ids[0]]) }
        XCTAssertEqual(try XCTUnwrap(retryAt).timeIntervalSince(start), 30, accuracy: 0.01, "first retry after the base backoff, by the injected clock")
        let failed = try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL") }
        XCTAssertEqual(failed, 1, "the refused row is given up")

        // Real time passes, the injected clock does not: the row waits.
        try await Task.sleep(for: .milliseconds(700))
        XCTAssertEqual(transport.count, 2, "not tried before its time")
        clock.advance(31)
        database.outboxBell.ring()
        try await waitFor("the retry delivered") {
            try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL") } == 1
        }
        XCTAssertEqual(transport.attempts, [ids[0], ids[1], ids[0]], "the refused row never again")
        let sent = try await database.writer.read { db in try Row.fetchOne(db, sql: "SELECT sent_at, external_id, attempts FROM outbox WHERE id = ?", arguments: [ids[0]]) }
        XCTAssertEqual((sent?["sent_at"] as Date?)?.timeIntervalSince(start) ?? 0, 31, accuracy: 0.01, "sent at the injected time")
        XCTAssertEqual(sent?["external_id"], "provider-\(ids[0])")
        XCTAssertEqual(sent?["attempts"], 2)
    }
}
