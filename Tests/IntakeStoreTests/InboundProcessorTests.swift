import Foundation
import GRDB
import IntakeCore
@testable import IntakeStore
import XCTest
import IntakePipeline

final class InboundProcessorTests: XCTestCase {
    static let catalog = StoreFixtures.catalog

    var path = ""
    var sequence = 0
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    override func setUpWithError() throws {
        path = NSTemporaryDirectory() + "intake-\(UUID().uuidString).sqlite"
    }

    override func tearDownWithError() throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    private func processor() throws -> InboundProcessor {
        InboundProcessor(database: try IntakeDatabase(path: path), engine: Engine(catalog: Self.catalog), templates: StoreFixtures.templates)
    }

    @discardableResult
    private func send(_ text: String, from sender: String = "+254700000001", channel: Channel = .whatsapp, id: String? = nil, with p: InboundProcessor) throws
        -> InboundOutcome
    {
        sequence += 1
        let message = InboundMessage(
            channel: channel, externalId: id ?? "msg-\(sequence)", sender: sender, text: text, receivedAt: start.addingTimeInterval(Double(sequence)))
        return try p.process(message, now: start.addingTimeInterval(Double(sequence)))
    }

    private func count(_ table: String, _ p: InboundProcessor) throws -> Int {
        try p.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)")! }
    }

    func testDatabaseIsInWALModeWithEveryTable() throws {
        let p = try processor()
        let mode = try p.database.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(mode, "wal")
        let tables = try p.database.writer.read { db in try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
        for table in ["contact", "inbound", "conversation", "submission", "review_event", "outbox", "attachment"] {
            XCTAssertTrue(tables.contains(table), table)
        }
    }

    func testSeveralOpenersOfANewFileAllSucceed() throws {
        // Like `serve` and a reviewer's CLI starting at the same moment on a database that does not exist yet.
        for round in 0..<10 {
            let file = path + "-\(round)"
            let failures = LockedCount()
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                do { _ = try IntakeDatabase(path: file) } catch { failures.add("\(error)") }
            }
            XCTAssertEqual(failures.messages, [])
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) }
        }
    }

    func testDuplicateExternalIdIsProcessedOnce() throws {
        let p = try processor()
        guard case .processed(let first) = try send("hello", id: "wamid.A", with: p) else { return XCTFail() }
        XCTAssertEqual(first.outboxIds.count, 1)
        XCTAssertEqual(try send("hello", id: "wamid.A", with: p), .duplicate)
        XCTAssertEqual(try send("1", id: "wamid.A", with: p), .duplicate)
        XCTAssertEqual(try count("inbound", p), 1)
        XCTAssertEqual(try count("outbox", p), 1)
        let state = try p.database.activeConversation(channel: .whatsapp, address: "+254700000001")
        XCTAssertEqual(state?.step, .consent, "the duplicate '1' must not have answered the privacy notice")
        // The same id on another channel is another message.
        guard case .processed = try send("hello", channel: .telegram, id: "wamid.A", with: p) else { return XCTFail() }
    }

    func testConversationResumesFromTheDatabaseAfterReopening() throws {
        do {
            let p = try processor()
            for text in ["1", "yes", "Solar schools", "Amina"] { try send(text, with: p) }
        }
        let reopened = try processor()
        let state = try reopened.database.activeConversation(channel: .whatsapp, address: "+254700000001")
        XCTAssertEqual(state?.field, "submitter_entity_type")
        XCTAssertEqual(state?.answers["title"], .text("Solar schools"))
        try send("NGO", with: reopened)
        let after = try reopened.database.activeConversation(channel: .whatsapp, address: "+254700000001")
        XCTAssertEqual(after?.field, "organisation")
        XCTAssertEqual(after?.answers["submitter_name"], .text("Amina"))
    }

    func testConfirmedSummaryCreatesOneSubmissionWithAReferenceAndAnAuditEvent() throws {
        let p = try processor()
        let messages = ["3", "yes", "GCR-PL-000007", "2", "skip", "skip", "skip", "We distributed 300 solar lamps in 2024.", "skip", "skip", "me@example.org", "yes", "ok"]
        var last: InboundOutcome?
        for text in messages { last = try send(text, with: p) }
        guard case .processed(let outcome)? = last else { return XCTFail() }
        XCTAssertEqual(outcome.submissionReference, "GCR-UP-000001")
        let submission = try p.database.writer.read { db in try Submission.fetchOne(db) }
        XCTAssertEqual(submission?.kind, "pledge_update")
        XCTAssertEqual(submission?.status, .submitted)
        XCTAssertEqual(try submission?.decodedAnswers()["progress"], .text("We distributed 300 solar lamps in 2024."))
        XCTAssertEqual(try count("review_event", p), 1)
        let lastReply = try p.database.writer.read { db in try OutboxMessage.order(Column("id").desc).fetchOne(db) }
        XCTAssertTrue(lastReply?.body.contains("GCR-UP-000001") ?? false, lastReply?.body ?? "")
        // A second contributor's update gets the next number; the conversation of the first is closed.
        for text in messages { try send(text, from: "+254700000002", with: p) }
        let references = try p.database.writer.read { db in try String.fetchAll(db, sql: "SELECT reference FROM submission ORDER BY id") }
        XCTAssertEqual(references, ["GCR-UP-000001", "GCR-UP-000002"])
        XCTAssertNil(try p.database.activeConversation(channel: .whatsapp, address: "+254700000001"))
    }

    func testInboundTextIsStoredVerbatimWhateverItIs() throws {
        let p = try processor()
        let texts = ["'; DROP TABLE inbound; --", String(repeating: "ش", count: 100_000), "emoji 🧕🏽 and \u{0007} bell", ""]
        // A contact who agreed before: none of this is a refused privacy notice (three of those erase everything).
        try p.database.writer.write { db in
            try db.execute(
                sql: "INSERT INTO contact (channel, address, language, created_at, consent_version) VALUES ('whatsapp', '+254700000001', 'en', ?, ?)",
                arguments: [start, Self.catalog.privacyNoticeVersion])
        }
        for text in texts { try send(text, with: p) }
        let stored = try p.database.writer.read { db in try String.fetchAll(db, sql: "SELECT text FROM inbound ORDER BY id") }
        XCTAssertEqual(stored, texts)
        let answered = try p.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT inbound_id) FROM outbox")! }
        XCTAssertEqual(answered, texts.count, "every message got an answer")
    }

    func testLanguageChangeIsRememberedForTheContact() throws {
        let p = try processor()
        try send("hello", with: p)
        try send("yes", with: p)
        try send("langue fr", with: p)
        try send("stop", with: p)
        try send("hi", with: p)
        let language = try p.database.writer.read { db in try String.fetchOne(db, sql: "SELECT language FROM contact") }
        XCTAssertEqual(language, "fr")
        // Consent was given once: a short welcome back in French and the menu, no privacy notice.
        let last = try p.database.writer.read { db in try OutboxMessage.order(Column("id").desc).limit(2).fetchAll(db) }.map(\.body).joined(separator: "\n")
        XCTAssertTrue(last.contains(Self.catalog.pack("fr").message(.welcomeBack)), last)
        XCTAssertFalse(last.contains(Self.catalog.pack("fr").message(.privacyNotice)), last)
    }

    func testAFailureInsideTheTransactionLeavesNothingBehind() throws {
        let p = try processor()
        try send("hello", with: p)
        XCTAssertThrowsError(
            try p.database.writer.write { db in
                _ = try p.process(InboundMessage(channel: .whatsapp, externalId: "x-1", sender: "+1", text: "1", receivedAt: start), now: start, db: db)
                throw StoreError("simulated crash after processing")
            })
        XCTAssertEqual(try count("inbound", p), 1)
        XCTAssertEqual(try count("outbox", p), 1)
        // The message was not committed, so its redelivery is processed normally.
        guard case .processed = try send("1", from: "+1", id: "x-1", with: p) else { return XCTFail() }
    }
}

/// Error messages gathered from concurrent work.
final class LockedCount: @unchecked Sendable {  // `messages` is only touched under `lock`
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ message: String) { lock.withLock { list.append(message) } }
    var messages: [String] { lock.withLock { list } }
}
