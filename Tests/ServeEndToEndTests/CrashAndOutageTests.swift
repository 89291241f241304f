import Foundation
import GRDB
import IntakeMail
import IntakeStore
import XCTest

/// Nothing lost, nothing doubled: a kill -9 in the middle of ingest, and an SMTP server that is away.
final class CrashAndOutageTests: XCTestCase {
    var serve: ServeProcess!

    override func setUpWithError() throws {
        try MailServers.ready()
        serve = ServeProcess(databasePath: NSTemporaryDirectory() + "crash-\(UUID().uuidString).sqlite", mail: true)
    }

    override func tearDownWithError() throws {
        serve.stop()
        serve.removeFiles()
        try? MailServers.startPostfix()
    }

    func testKillDuringIngestOf200MessagesThenRestartProcessesEachExactlyOnce() throws {
        // 200 contributors each write once; replies stay in the outbox (no SMTP) so only ingest is measured.
        let mails = (1...200).map { index in
            Data("From: c\(index)@example.net\r\nTo: intake@example.org\r\nSubject: hello \(index)\r\nMessage-ID: <load-\(index)@example.net>\r\nContent-Type: text/plain\r\n\r\nHello \(index)\r\n".utf8)
        }
        try MailServers.deliverRaw(mails, to: MailServers.service)
        serve.environment["GCR_INTAKE_SMTP_URL"] = nil
        serve.environment["GCR_INTAKE_IMAP_BATCH"] = "10"
        try serve.start()
        try serve.kill(whenFrozen: "some messages ingested") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbound") ?? 0 >= 20
        }
        let beforeRestart = try serve.count("SELECT COUNT(*) FROM inbound")
        XCTAssertLessThan(beforeRestart, 200, "the kill must land in the middle of the ingest")
        try serve.start()
        try serve.waitUntil("all 200 ingested") { try serve.count("SELECT COUNT(*) FROM inbound") == 200 }
        try serve.waitUntil("nothing left to acknowledge") { try serve.count("SELECT COUNT(*) FROM mail_ack") == 0 }
        serve.stop()
        XCTAssertEqual(try serve.count("SELECT COUNT(DISTINCT external_id) FROM inbound"), 200)
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM outbox"), 200, "one reply per message, none doubled, none missing")
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM (SELECT inbound_id FROM outbox GROUP BY inbound_id HAVING COUNT(*) != 1)"), 0)
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM inbound WHERE processed_at IS NULL"), 0)
        let session = try IMAPSession(url: MailServers.imap, user: MailServers.service, password: MailServers.password)
        _ = try session.select("INBOX")
        XCTAssertEqual(try unseenCount(), 0, "every message acknowledged on the server")
        print("kill -9 after \(beforeRestart) of 200 messages committed; after restart 200 inbound, 200 replies")
    }

    func testRepliesQueuedWhileSMTPIsDownAreDeliveredOnceWhenItReturns() throws {
        // The outage lasts until every reply was tried and refused three times (a retry every second: the
        // lane probes with one row per step, so six steps).
        serve.environment["GCR_INTAKE_OUTBOX_RETRY_SECONDS"] = "1"
        serve.environment["GCR_INTAKE_OUTBOX_MAX_BACKOFF_SECONDS"] = "1"
        for (index, user) in [MailServers.contributor, MailServers.other].enumerated() {
            let raw = "From: \(user)\r\nTo: intake@example.org\r\nSubject: pledge\r\nMessage-ID: <outage-\(index)@example.org>\r\nContent-Type: text/plain\r\n\r\npledge\r\n"
            try MailServers.deliverRaw(Data(raw.utf8), to: MailServers.service)
        }
        try MailServers.stopPostfix()
        let down = Date()
        try serve.start()
        try serve.waitUntil("each reply tried three times during the outage", timeout: 90) {
            try serve.count("SELECT COUNT(*) FROM outbox WHERE attempts >= 3 AND sent_at IS NULL") == 2
        }
        let outage = Date().timeIntervalSince(down)
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL"), 0)
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL"), 0, "a refused connection is not permanent")
        let attemptsDuringOutage = try serve.count("SELECT MIN(attempts) FROM outbox")
        XCTAssertNotNil(try serve.read { db in try String.fetchOne(db, sql: "SELECT last_error FROM outbox LIMIT 1") })
        try MailServers.startPostfix()
        try serve.waitUntil("replies delivered", timeout: 60) { try serve.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL") == 2 }
        try MailServers.waitForDeliveries()
        for user in [MailServers.contributor, MailServers.other] {
            XCTAssertEqual(try MailServers.messages(of: user).count, 1, "\(user) got the reply exactly once")
        }
        print("SMTP down \(Int(outage)) s: \(attemptsDuringOutage) attempts per reply during the outage, each delivered once after")
    }

    func testA5xxAnswerStopsRetryingAndStaysVisible() throws {
        serve.environment["GCR_INTAKE_OUTBOX_RETRY_SECONDS"] = "1"
        // The test Postfix refuses rejected@example.org with 554 at RCPT time (scripts/mail-servers).
        let raw = "From: rejected@example.org\r\nTo: intake@example.org\r\nSubject: hi\r\nMessage-ID: <rej-1@example.org>\r\n\r\npledge\r\n"
        try MailServers.deliverRaw(Data(raw.utf8), to: MailServers.service)
        try serve.start()
        try serve.waitUntil("the reply marked failed") { try serve.count("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL") == 1 }
        // With retries from 1 s, a wrong retry would come within 2 s.
        Thread.sleep(forTimeInterval: 2)
        let row = try XCTUnwrap(try serve.read { db in try Row.fetchOne(db, sql: "SELECT attempts, last_error, sent_at FROM outbox") })
        XCTAssertEqual(row["attempts"], 1, "no retry after a permanent failure")
        XCTAssertNil(row["sent_at"] as Date?)
        XCTAssertTrue((row["last_error"] as String? ?? "").contains("554"), "\(row)")
    }

    private func unseenCount() throws -> Int {
        let output = try MailServers.run(
            "/usr/bin/doveadm", ["-c", "\(MailServers.folder)/dovecot/dovecot.conf", "search", "-u", MailServers.service, "mailbox", "INBOX", "UNSEEN"])
        return output.split(separator: "\n").count
    }
}
