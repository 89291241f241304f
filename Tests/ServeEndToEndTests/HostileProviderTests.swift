import Foundation
import GRDB
@testable import IntakeStore
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
        try start(["GCR_INTAKE_OUTBOX_RETRY_SECONDS": "1", "GCR_INTAKE_OUTBOX_MAX_BACKOFF_SECONDS": "1"])
        fake.failNext(rawRetryAfter: [(429, "1e18"), (429, "inf"), (429, "1e300"), (503, "-5")])
        let sent = try await client.generic(["id": "ra-1", "from": "+15550777", "text": "hello"])
        XCTAssertEqual(sent.status, 200)
        // Max backoff is 1 s here: each absurd header is clamped to it, the fifth attempt succeeds.
        let attempts = try await fake.waitFor(5, timeout: 60)
        XCTAssertEqual(Set(attempts.map { $0.json["id"] as? String }).count, 1)
        try await serve.waitUntil("delivered") { try serve.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL") == 1 }
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM outbox WHERE next_attempt_at = '' OR next_attempt_at IS NULL"), 0)
        XCTAssertTrue(serve.process?.isRunning ?? false, "serve still runs")
        let health = try await client.get("/healthz")
        XCTAssertEqual(health.status, 200)
        XCTAssertFalse(serve.log.contains("15550777"), "no phone number in the log")
        XCTAssertFalse(serve.log.contains("hello"), "no message text in the log")
    }

    func testAnUnreadableOutboxRowIsMarkedFailedAndTheWorkerGoesOn() async throws {
        try start()
        try await serve.waitUntil("database ready") { try serve.count("SELECT COUNT(*) FROM sqlite_master WHERE name = 'outbox'") == 1 }
        try await IntakeDatabase(path: serve.databasePath).writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO outbox (channel, recipient, body, options, headers, attempts, next_attempt_at, created_at)
                    VALUES ('generic', '+15550888', 'secret text', '[]', '{}', 0, '', '2026-11-28 00:00:00.000')
                    """)
        }
        try await serve.waitUntil("the bad row marked failed") { try serve.count("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL") == 1 }
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
        // Three WhatsApp contacts (two replies each): the first reply of each hangs at once, then the lane
        // probes one row per backoff step (at most 1 s here) until every row is given up.
        try start([
            "GCR_INTAKE_PROVIDER_TIMEOUT_SECONDS": "3", "GCR_INTAKE_PROVIDER_CONNECT_TIMEOUT_SECONDS": "1", "GCR_INTAKE_OUTBOX_RETRY_SECONDS": "1",
            "GCR_INTAKE_OUTBOX_MAX_BACKOFF_SECONDS": "1",
        ])
        fake.hang("/messages", seconds: 5)  // WhatsApp's Graph API path: longer than our 3 s timeout (and short enough for the fake to stop)
        for index in 1...3 {
            let r = try await client.whatsApp(WebhookClient.whatsAppText(id: "wamid.hang\(index)", from: "25470000100\(index)", text: "hello"))
            XCTAssertEqual(r.status, 200)
        }
        _ = try await waitForRequests(path: "/messages", count: 1, timeout: 10)  // WhatsApp requests hanging in flight
        let asked = Date()
        let r = try await client.telegram(WebhookClient.telegramUpdate(id: 77, chat: 9_001, text: "bonjour"))
        XCTAssertEqual(r.status, 200)
        let telegram = try await waitForRequests(path: "sendMessage", count: 1, timeout: 20)
        XCTAssertLessThan(telegram[0].at.timeIntervalSince(asked), 3, "the Telegram reply did not wait for WhatsApp's timeout")
        // Each hung WhatsApp request timed out after it was sent: it may have been delivered, so it is not posted again.
        try await serve.waitUntil("WhatsApp rows given up", timeout: 30) {
            try serve.count("SELECT COUNT(*) FROM outbox WHERE channel = 'whatsapp' AND failed_at IS NULL") == 0
        }
        // Retries come after 1 s here: a wrong one would be posted within 2 s.
        try await Task.sleep(for: .seconds(2))
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

/// A mail server that is away: the channel is probed, not hammered, and the outage is logged once.
final class ChannelOutageTests: XCTestCase {
    func testDuringAnSMTPOutageOneProbePerStepNotOneAttemptPerMail() throws {
        let serve = ServeProcess(
            databasePath: NSTemporaryDirectory() + "outage-\(UUID().uuidString).sqlite",
            environment: [
                "GCR_INTAKE_SMTP_URL": "smtp://127.0.0.1:1", "GCR_INTAKE_MAIL_FROM": MailServers.service, "GCR_INTAKE_OUTBOX_RETRY_SECONDS": "1",
                "GCR_INTAKE_OUTBOX_MAX_BACKOFF_SECONDS": "2",
            ])
        defer {
            serve.stop()
            serve.removeFiles()
        }
        let database = try IntakeDatabase(path: serve.databasePath)
        try database.writer.write { db in
            for index in 1...600 {
                try db.execute(
                    sql: """
                        INSERT INTO outbox (channel, recipient, subject, body, options, headers, attempts, next_attempt_at, created_at)
                        VALUES ('email', ?, 'Re: pledge', 'Thank you', '[]', '{}', 0, ?, ?)
                        """, arguments: ["c\(index)@example.net", Date(), Date()])
            }
        }
        try serve.start()
        try serve.waitUntil("the channel found down") { serve.log.contains("channel down") }
        Thread.sleep(forTimeInterval: 4)  // three backoff steps (1, 2, 4 s): a probe each, where 600 mails would each be tried
        serve.stop()
        let attempts = try serve.count("SELECT COALESCE(SUM(attempts), 0) FROM outbox")
        XCTAssertLessThan(attempts, 40, "a probe per backoff step, not 600 mails each tried")
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL"), 0, "nothing given up")
        XCTAssertEqual(serve.log.components(separatedBy: "channel down").count - 1, 1, "one line when the state changes")
        XCTAssertLessThan(serve.log.components(separatedBy: "reply delivery failed").count - 1, 5, "no line per mail")
        print("SMTP away 4 s with 600 mails queued: \(attempts) attempts in all")
    }
}

/// Unauthenticated clients that only hold connections open or trickle bodies.
final class ConnectionFloodTests: XCTestCase {
    var serve: ServeProcess!

    override func setUpWithError() throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        serve = ServeProcess(
            databasePath: NSTemporaryDirectory() + "flood-\(UUID().uuidString).sqlite",
            environment: [
                "GCR_INTAKE_IMAP_URL": "", "GCR_INTAKE_SMTP_URL": "", "GCR_INTAKE_MAIL_FROM": "", "GCR_INTAKE_WEBHOOK_SECRET": WebhookClient.genericSecret,
                "GCR_INTAKE_HTTP_MAX_CONNECTIONS": "200", "GCR_INTAKE_HTTP_IDLE_SECONDS": "2", "GCR_INTAKE_HTTP_REQUEST_SECONDS": "2",
            ])
        try serve.start()
    }

    override func tearDown() {
        serve.stop()
        serve.removeFiles()
    }

    private func connect(_ port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard result == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    private func openFiles() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(serve.process!.processIdentifier)/fd").count) ?? -1
    }

    private func residentMB() -> Double {
        let status = (try? String(contentsOfFile: "/proc/\(serve.process!.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }

    func testIdleSocketsAreCappedAndClosedAndHealthAnswersAfterwards() async throws {
        let port = try serve.httpPort()
        let client = WebhookClient(port: port)
        let baseline = openFiles()
        let sockets = (0..<2_000).compactMap { _ in connect(port) }
        defer { sockets.forEach { close($0) } }
        XCTAssertGreaterThan(sockets.count, 1_000)
        try await Task.sleep(for: .milliseconds(500))
        let during = openFiles()
        XCTAssertLessThan(during, baseline + 260, "the server holds at most its cap of connections (\(during) files open)")
        try await serve.waitUntil("idle connections closed", timeout: 20) { self.openFiles() <= baseline + 5 }
        let health = try await client.get("/healthz")
        XCTAssertEqual(health.status, 200)
        print("2,000 idle sockets: server files \(baseline) before, \(during) during (cap 200), back to \(openFiles()) after the idle timeout")
    }

    func testARefusalSaysWhatKindNotHowTheBodyWasRead() async throws {
        let client = WebhookClient(port: try serve.httpPort())
        let body = Data(#"{"id": 5, "from": "+1", "text": "x"}"#.utf8)
        let answer = try await client.post("/webhooks/generic", body: body, headers: ["X-Intake-Signature": WebhookClient.sign(body, WebhookClient.genericSecret)])
        XCTAssertEqual(answer.status, 400)
        XCTAssertEqual(answer.text, #"{"error":{"message":"bad request"}}"#, "no decoding path, no echo of the body")
        XCTAssertTrue(serve.log.contains("wrong type at .id"), "the log has the detail")
    }

    func testAnHTTP10RequestIsAnsweredAndItsConnectionClosed() throws {
        let port = try serve.httpPort()
        let fd = try XCTUnwrap(connect(port))
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = "GET /healthz HTTP/1.0\r\n\r\n".withCString { send(fd, $0, strlen($0), 0) }
        var answer = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 {
                XCTAssertEqual(count, 0, "the server closed the connection (not a timeout)")
                break
            }
            answer.append(contentsOf: buffer[0..<count])
        }
        let text = String(decoding: answer, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("HTTP/1.0 200"), text)
        XCTAssertTrue(text.lowercased().contains("connection: close"), text)
    }

    func testTrickledUnsignedBodiesAreCutOffAndTheirMemoryReleased() async throws {
        let port = try serve.httpPort()
        let client = WebhookClient(port: port)
        _ = try await client.get("/healthz")
        let before = residentMB()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 200 * 1024)
        var sockets: [Int32] = []
        for _ in 0..<190 {
            guard let fd = connect(port) else { continue }
            // A well-formed signature (it can only be checked once the body is in): the body is read, then cut off.
            let head = "POST /webhooks/generic HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Intake-Signature: sha256=\(String(repeating: "0", count: 64))\r\nContent-Length: 250000\r\n\r\n"
            _ = head.withCString { send(fd, $0, strlen($0), 0) }
            _ = chunk.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            sockets.append(fd)
        }
        defer { sockets.forEach { close($0) } }
        try await Task.sleep(for: .milliseconds(500))
        let peak = residentMB()
        let held = openFiles()
        XCTAssertGreaterThan(held, 150, "the trickled requests are open")
        try await serve.waitUntil("trickled requests cut off (\(openFiles()) files open)", timeout: 20) { self.openFiles() < 40 }
        var after = residentMB()
        for _ in 0..<40 where after - before >= 20 {
            try await Task.sleep(for: .milliseconds(250))
            after = residentMB()
        }
        let health = try await client.get("/healthz")
        XCTAssertEqual(health.status, 200)
        XCTAssertLessThan(after - before, 20, "memory back near its baseline: \(before) MB before, \(peak) MB during, \(after) MB after")
        print(String(format: "190 unfinished 250 KB bodies: RSS %.1f MB before, %.1f MB during, %.1f MB after", before, peak, after))
    }
}
