import Foundation
import GRDB
import XCTest

/// Reminders and expiry notices are queued once each, even when `serve` is killed (-9) in the middle of
/// a sweep and started again.
final class ReminderCrashTests: XCTestCase {
    var serve: ServeProcess!
    var fake: FakeProvider!

    override func setUp() async throws {
        fake = FakeProvider()
        try await fake.start()
        serve = ServeProcess(
            databasePath: NSTemporaryDirectory() + "reminders-\(UUID().uuidString).sqlite", environment: ServeProcess.webhookEnvironment(fakePort: fake.port))
        try serve.start()
    }

    override func tearDown() async throws {
        serve.stop()
        serve.removeFiles()
        fake.stop()
    }

    func testEachReminderAndExpiryIsQueuedOnceAcrossAKill() async throws {
        // One real draft through the webhook (consent, the good-practice form, its title)...
        let client = WebhookClient(port: try serve.httpPort())
        for (index, text) in ["hello", "yes", "1", "Sewing classes in Zaatari"].enumerated() {
            let (status, _) = try await client.whatsApp(WebhookClient.whatsAppText(id: "wamid.seed.\(index)", from: "962790009999", text: text))
            XCTAssertEqual(status, 200)
        }
        try await serve.waitUntil("the draft at question 2") {
            try serve.count("SELECT COUNT(*) FROM conversation WHERE status = 'active' AND field = 'submitter_name'") == 1
        }
        serve.stop()
        // ...copied to 1,000 contacts: 500 quiet for a day (a reminder is due), 500 for 31 days (expiry is due).
        try serve.write { db in
            try db.execute(
                sql: """
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
                    INSERT INTO contact (channel, address, display_name, language, email, created_at, consent_version, consent_at)
                    SELECT channel, '96279100' || printf('%04d', i), display_name, language, email, created_at, consent_version, consent_at
                    FROM contact, n WHERE address = '962790009999'
                    """)
            try db.execute(
                sql: """
                    INSERT INTO conversation (contact_id, form, step, field, answers, language, status, state, created_at, updated_at)
                    SELECT k.id, c.form, c.step, c.field, c.answers, c.language, c.status, c.state, c.created_at,
                      CASE WHEN CAST(substr(k.address, 9) AS INTEGER) <= 500 THEN datetime('now', '-24 hours') ELSE datetime('now', '-31 days') END
                    FROM conversation c JOIN contact seed ON seed.id = c.contact_id AND seed.address = '962790009999'
                    JOIN contact k ON k.address LIKE '96279100%'
                    """)
        }
        let reminder = "template LIKE '%\"kind\":\"reminder\"%'"
        let expiry = "template LIKE '%\"kind\":\"draft_expired\"%'"
        // Killed as soon as the first sweep's first transaction is in, long before it is done.
        try serve.start()
        try serve.kill(whenFrozen: "the first reminders") { db in
            let queued = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE \(reminder) OR \(expiry)") ?? 0
            return queued > 0 && queued < 1000
        }
        let beforeRestart = try serve.count("SELECT COUNT(*) FROM outbox WHERE \(reminder) OR \(expiry)")
        XCTAssertLessThan(beforeRestart, 1000, "killed mid-way")
        try serve.start()
        try await serve.waitUntil("every reminder and expiry") { try serve.count("SELECT COUNT(*) FROM outbox WHERE \(reminder) OR \(expiry)") >= 1000 }
        // Let a few more sweeps run: nothing more may be queued.
        try await Task.sleep(for: .seconds(2))
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM outbox WHERE \(reminder)"), 500)
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM outbox WHERE \(expiry)"), 500)
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM (SELECT recipient FROM outbox WHERE \(reminder) OR \(expiry) GROUP BY recipient HAVING COUNT(*) > 1)"), 0)
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM conversation WHERE status = 'expired'"), 500)
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM conversation WHERE reminders = 1 AND reminded_at IS NOT NULL"), 500)
        // The copied contacts never wrote from WhatsApp's point of view (no inbound message): outside the 24-hour
        // window, so the reminders went as the template, its parameters saying where each draft stopped.
        try await serve.waitUntil("reminders delivered") { fake.received.filter { ($0.json["to"] as? String)?.hasPrefix("96279100") == true }.count >= 1000 }
        let sample = try XCTUnwrap(fake.received.first { $0.json["to"] as? String == "962791000001" })
        let template = try XCTUnwrap(sample.json["template"] as? [String: Any], "\(sample.json)")
        XCTAssertEqual(template["name"] as? String, "gcr_draft_reminder")
        let parameters = ((template["components"] as? [[String: Any]])?.first?["parameters"] as? [[String: Any]])?.compactMap { $0["text"] as? String }
        XCTAssertEqual(parameters, ["good practice", "2"])
    }
}
