import Foundation
import GRDB
import IntakeStore
import XCTest

/// Providers that misbehave (absurd Retry-After headers, hanging requests) and a damaged outbox row:
/// `serve` keeps running, other channels keep flowing, nothing is sent twice, no personal data is logged.
final class HostileProviderTests: XCTestCase {
    var serve: ServeProcess!
    var fake: FakeProvider!
    var client: WebhookClient!

    override func setUp() async throws {
        fake = FakeProvider()
        try await fake.start()
    }

    private func start(_ extra: [String: String] = [:]) throws {
        serve = ServeProcess(
            databasePath: NSTemporaryDirectory() + "hostile-\(UUID().uuidString).sqlite",
            environment: ServeProcess.webhookEnvironment(fakePort: fake.port).merging(extra) { $1 })
        try serve.start()
        client = WebhookClient(port: try serve.httpPort())
    }

    override func tearDown() async throws {
        serve?.stop()
        serve?.removeFiles()
        fake.stop()
    }

    func testAbsurdRetryAfterHeadersNeitherCrashNorStopDelivery() async throws {
        try start()
        fake.failNext(rawRetryAfter: [(429, "1e18"), (429, "inf"), (429, "1e300"), (503, "-5")])
        let sent = try await client.generic(["id": "ra-1", "from": "+15550777", "text": "hello"])
        XCTAssertEqual(sent.status, 200)
        // Max backoff is 4 s in tests: each absurd header is clamped, the fifth attempt succeeds.
        let attempts = try await fake.waitFor(5, timeout: 60)
        XCTAssertEqual(Set(attempts.map { $0.json["id"] as? String }).count, 1)
        try serve.waitUntil("delivered") { try serve.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL") == 1 }
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM outbox WHERE next_attempt_at = '' OR next_attempt_at IS NULL"), 0)
        XCTAssertTrue(serve.process?.isRunning ?? false, "serve still runs")
        let health = try await client.get("/healthz")
        XCTAssertEqual(health.status, 200)
        XCTAssertFalse(serve.log.contains("15550777"), "no phone number in the log")
        XCTAssertFalse(serve.log.contains("hello"), "no message text in the log")
    }

    func testAnUnreadableOutboxRowIsMarkedFailedAndTheWorkerGoesOn() async throws {
        try start()
        try serve.waitUntil("database ready") { try serve.count("SELECT COUNT(*) FROM sqlite_master WHERE name = 'outbox'") == 1 }
        try await IntakeDatabase(path: serve.databasePath).pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO outbox (channel, recipient, body, options, headers, attempts, next_attempt_at, created_at)
                    VALUES ('generic', '+15550888', 'secret text', '[]', '{}', 0, '', '2026-11-28 00:00:00.000')
                    """)
        }
        try serve.waitUntil("the bad row marked failed") { try serve.count("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL") == 1 }
        let sent = try await client.generic(["id": "after-bad-row", "from": "+15550889", "text": "hello"])
        XCTAssertEqual(sent.status, 200)
        _ = try await fake.waitFor(1)
        XCTAssertTrue(serve.process?.isRunning ?? false)
        XCTAssertFalse(serve.log.contains("15550888") || serve.log.contains("secret text"), "the row is not printed")
        // And again after a restart: the bad row does not stop it.
        serve.stop()
        try serve.start()
        client = WebhookClient(port: try serve.httpPort())
        let again = try await client.generic(["id": "after-restart", "from": "+15550889", "text": "hi"])
        XCTAssertEqual(again.status, 200)
        _ = try await fake.waitFor(2)
    }

    func testAHangingProviderDelaysNoOtherChannelAndIsNotPostedTwice() async throws {
        try start(["GCR_INTAKE_PROVIDER_TIMEOUT_SECONDS": "3", "GCR_INTAKE_PROVIDER_CONNECT_TIMEOUT_SECONDS": "1"])
        fake.hang("/messages", seconds: 30)  // WhatsApp's Graph API path
        for index in 1...5 {
            let r = try await client.whatsApp(WebhookClient.whatsAppText(id: "wamid.hang\(index)", from: "25470000100\(index)", text: "hello"))
            XCTAssertEqual(r.status, 200)
        }
        try await Task.sleep(for: .milliseconds(300))
        let asked = Date()
        let r = try await client.telegram(WebhookClient.telegramUpdate(id: 77, chat: 9_001, text: "bonjour"))
        XCTAssertEqual(r.status, 200)
        let telegram = try await waitForRequests(path: "sendMessage", count: 1, timeout: 20)
        XCTAssertLessThan(telegram[0].at.timeIntervalSince(asked), 3, "the Telegram reply did not wait for WhatsApp's timeout")
        // Each hung WhatsApp request timed out after it was sent: it may have been delivered, so it is not posted again.
        try serve.waitUntil("WhatsApp rows given up", timeout: 30) {
            try serve.count("SELECT COUNT(*) FROM outbox WHERE channel = 'whatsapp' AND failed_at IS NOT NULL") >= 5
        }
        try await Task.sleep(for: .seconds(5))
        let whatsapp = fake.received.filter { $0.path.contains("/messages") }
        let rows = try serve.count("SELECT COUNT(*) FROM outbox WHERE channel = 'whatsapp'")
        XCTAssertEqual(whatsapp.count, rows, "each WhatsApp reply posted once, never again after a timeout")
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM outbox WHERE channel = 'whatsapp' AND last_error LIKE '%may have been delivered%'"), rows)
        XCTAssertTrue(serve.log.contains("channel down"), "the outage is logged once")
        XCTAssertLessThanOrEqual(serve.log.components(separatedBy: "channel down").count - 1, 2)
    }

    private func waitForRequests(path: String, count: Int, timeout: TimeInterval) async throws -> [FakeProvider.Received] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let found = fake.received.filter { $0.path.contains(path) }
            if found.count >= count { return found }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure("\(path): fewer than \(count) requests")
    }
}
