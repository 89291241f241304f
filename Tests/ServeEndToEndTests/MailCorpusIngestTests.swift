import Foundation
import GRDB
import IntakeCore
import IntakeMail
@testable import IntakeStore
import XCTest

/// The corpus of hostile and unusual messages (Tests/IntakeMailTests/Fixtures/mail) through the real
/// service: each is stored, machine mail is never answered, nothing is retried forever or lost.
final class MailCorpusIngestTests: XCTestCase {
    var serve: ServeProcess!
    static let corpus = MailServers.root.appendingPathComponent("Tests/IntakeMailTests/Fixtures/mail")
    static let machineMail: Set<String> = [
        "auto-submitted.eml", "x-autoreply.eml", "precedence-bulk.eml", "mailing-list.eml", "bounce-multipart-report.eml", "from-ourselves.eml",
        "postmaster.eml", "missing-from.eml", "binary-garbage.eml",
        "fuzz-empty-multipart-alternative.eml",  // no sender at all: recorded, never answered
    ]

    override func setUpWithError() throws {
        try MailServers.ready()
        serve = ServeProcess(databasePath: NSTemporaryDirectory() + "corpus-\(UUID().uuidString).sqlite", mail: true, environment: ["GCR_INTAKE_SMTP_URL": ""])
    }

    private func agreedBefore(_ senders: [String]) throws {
        let database = try IntakeDatabase(path: serve.databasePath)
        let version = try CatalogLoader.load(directory: MailServers.root.appendingPathComponent("prompts").path).privacyNoticeVersion
        try database.writer.write { db in
            for sender in Set(senders) where !sender.isEmpty {
                try db.execute(
                    sql: "INSERT INTO contact (channel, address, language, created_at, consent_version, consent_at) VALUES ('email', ?, 'en', ?, ?, ?)",
                    arguments: [sender, Date(), version, Date()])
            }
        }
    }

    override func tearDownWithError() throws {
        serve.stop()
        serve.removeFiles()
    }

    func testEveryCorpusMessageIsStoredAndMachineMailIsNeverAnswered() throws {
        serve.environment["GCR_INTAKE_MAIL_REPLIES_PER_HOUR"] = "1000"
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0.hasSuffix(".eml") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 25)
        try MailServers.deliverRaw(try files.map { try Data(contentsOf: Self.corpus.appendingPathComponent($0)) }, to: MailServers.service)
        var big = "From: amina@example.org\r\nMessage-ID: <huge@example.org>\r\nSubject: video\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n"
        big += "--B\r\nContent-Type: text/plain\r\n\r\nHere is the video.\r\n--B\r\nContent-Type: video/mp4\r\nContent-Disposition: attachment; filename=\"v.mp4\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        big += Data(count: 11 * 1024 * 1024).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]) + "\r\n--B--\r\n"
        try MailServers.deliverRaw(Data(big.utf8), to: MailServers.service)
        let total = files.count + 1
        // The corpus is many mails from a few senders: people who agreed to the privacy notice before, so
        // their mail is kept as received (three mails without a yes would have their conversation erased).
        try agreedBefore(files.compactMap { try? MIMEParser.parse(Data(contentsOf: Self.corpus.appendingPathComponent($0))).from?.address.lowercased() })
        try serve.start()
        try serve.waitUntil("the whole corpus ingested") { try serve.count("SELECT COUNT(*) FROM inbound") == total }
        try serve.waitUntil("all acknowledged") { try serve.count("SELECT COUNT(*) FROM mail_ack") == 0 }
        serve.stop()

        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM inbound WHERE processed_at IS NULL"), 0, "nothing left half-done")
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM inbound WHERE raw IS NULL"), 0, "every message kept as received")
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM inbound WHERE outcome = 'not_answered'"), Self.machineMail.count)
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM outbox o JOIN inbound i ON i.id = o.inbound_id WHERE i.outcome != 'processed'"), 0)
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM inbound i WHERE outcome = 'processed' AND NOT EXISTS (SELECT 1 FROM outbox WHERE inbound_id = i.id)"), 0)
        let reasons = try serve.read { db in try String.fetchAll(db, sql: "SELECT error FROM inbound WHERE outcome = 'not_answered' ORDER BY id") }
        XCTAssertTrue(reasons.allSatisfy { !$0.isEmpty }, "\(reasons)")
        // Attachments: name, type, size and SHA-256; the one over 10 MB described but not kept.
        let pdf = try serve.read { db in try Row.fetchOne(db, sql: "SELECT size, sha256, length(data) AS stored FROM attachment WHERE filename = 'report.pdf'") }
        XCTAssertEqual(pdf?["size"], 480)
        XCTAssertEqual((pdf?["sha256"] as String?)?.count, 64)
        XCTAssertEqual(pdf?["stored"], 480)
        let video = try serve.read { db in try Row.fetchOne(db, sql: "SELECT size, data FROM attachment WHERE filename = 'v.mp4'") }
        XCTAssertEqual(video?["size"], 11 * 1024 * 1024)
        XCTAssertNil(video?["data"] as Data?)
        XCTAssertEqual(try unseen(), 0)
    }

    func testRepliesPerSenderAreCappedAndTheRestWaitsToBeAnswered() throws {
        serve.environment["GCR_INTAKE_MAIL_REPLIES_PER_HOUR"] = "2"
        for index in 1...4 {
            let raw = "From: amina@example.org\r\nTo: intake@example.org\r\nSubject: hi\r\nMessage-ID: <cap-\(index)@example.org>\r\n\r\nhello \(index)\r\n"
            try MailServers.deliverRaw(Data(raw.utf8), to: MailServers.service)
        }
        try serve.start()
        try serve.waitUntil("4 messages stored") { try serve.count("SELECT COUNT(*) FROM inbound") == 4 }
        serve.stop()
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM outbox"), 2)
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM inbound WHERE outcome = 'deferred' AND deferred IS NOT NULL"), 2, "kept to answer later")
    }

    private func unseen() throws -> Int {
        try MailServers.run(
            "/usr/bin/doveadm", ["-c", "\(MailServers.folder)/dovecot/dovecot.conf", "search", "-u", MailServers.service, "mailbox", "INBOX", "UNSEEN"]
        ).split(separator: "\n").count
    }
}
