import Foundation
import GRDB
import IntakeStore
import XCTest

/// kill -9 of `serve` while 2,000 signed generic-hook messages are in flight; the sender retries every
/// request that did not get a 200, as gateways do.
final class WebhookCrashTests: XCTestCase {
    func testKillDuringAGenericHookLoadThenRetriesProcessEachMessageOnce() async throws {
        let fake = FakeProvider()
        try await fake.start()
        defer { fake.stop() }
        let serve = ServeProcess(
            databasePath: NSTemporaryDirectory() + "hookload-\(UUID().uuidString).sqlite", environment: ServeProcess.webhookEnvironment(fakePort: fake.port))
        defer { serve.removeFiles() }
        try serve.start()
        var client = WebhookClient(port: try serve.httpPort())
        let total = 2000
        let acknowledged = Acknowledged()
        let killer = Task {
            while await acknowledged.count < 300 { try await Task.sleep(for: .milliseconds(5)) }
            serve.kill()
        }
        try await send(ids: Array(0..<total), client: client, concurrency: 32, acknowledged: acknowledged)
        _ = try await killer.value
        let beforeRestart = await acknowledged.count
        XCTAssertLessThan(beforeRestart, total, "the kill must land while requests are in flight")

        try serve.start()
        client = WebhookClient(port: try serve.httpPort())
        var round = 0
        while await acknowledged.count < total, round < 5 {
            round += 1
            let missing = await acknowledged.missing(total)
            try await send(ids: missing, client: client, concurrency: 32, acknowledged: acknowledged)
        }
        let acknowledgedCount = await acknowledged.count
        XCTAssertEqual(acknowledgedCount, total)
        try await serve.waitUntil("every reply delivered", timeout: 120) {
            try serve.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL") == 0 && (try serve.count("SELECT COUNT(*) FROM outbox")) >= total
        }
        serve.stop()
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM inbound"), total, "each message stored once")
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM outbox"), total, "one reply per message")
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM (SELECT inbound_id FROM outbox GROUP BY inbound_id HAVING COUNT(*) != 1)"), 0)
        // At the gateway: every message answered, by exactly one reply (one reply id per message).
        let received = fake.received.filter { $0.path == "/gateway/replies" }
        var replyIds: [String: Set<String>] = [:]
        for request in received {
            replyIds[request.json["in_reply_to"] as? String ?? "", default: []].insert(request.json["id"] as? String ?? "")
        }
        XCTAssertEqual(replyIds.count, total, "every message got its reply")
        XCTAssertTrue(replyIds.values.allSatisfy { $0.count == 1 }, "never two different replies to one message")
        let redelivered = received.count - total
        print("webhook kill -9: \(beforeRestart) of \(total) acknowledged before the kill; after restart and \(round) retry round(s): "
            + "\(total) stored once, \(total) replies, \(redelivered) repeated deliveries of an already-sent reply (same id)")
        XCTAssertLessThanOrEqual(redelivered, 32, "at most the deliveries in flight at the kill are repeated")
    }

    private func send(ids: [Int], client: WebhookClient, concurrency: Int, acknowledged: Acknowledged) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = ids.makeIterator()
            func addNext() -> Bool {
                guard let id = next.next() else { return false }
                group.addTask {
                    let result = try? await client.generic(["id": "load-\(id)", "from": "+1555\(String(format: "%07d", id))", "text": "hello"])
                    if result?.status == 200 { await acknowledged.add(id) }
                }
                return true
            }
            for _ in 0..<concurrency where addNext() {}
            while try await group.next() != nil { _ = addNext() }
        }
    }
}

/// Which message ids got a 200.
actor Acknowledged {
    private var ids = Set<Int>()
    var count: Int { ids.count }
    func add(_ id: Int) { ids.insert(id) }
    func missing(_ total: Int) -> [Int] { (0..<total).filter { !ids.contains($0) } }
}
