import Foundation
import GRDB
@_spi(Pipeline) @testable import IntakeStore
import XCTest

/// The hot records write every column by hand: each reads back exactly as written, every field set.
final class RecordEncodingTests: XCTestCase {
    func testEveryFieldOfTheHandEncodedRecordsReadsBackEqual() throws {
        let h = try StoreHarness()
        defer { h.remove() }
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        try h.database.writer.write { db in
            var contact = Contact(id: nil, channel: .whatsapp, address: "+1555", displayName: "Ana", language: "ar", email: "a@example.org", createdAt: at)
            try contact.insert(db)
            XCTAssertEqual(try Contact.fetchOne(db, key: contact.id), contact)
            var conversation = ConversationRecord(
                id: nil, contactId: contact.id!, form: "pledge", step: "question", field: "title", answers: "{\"a\":1}", language: "ar", status: .active,
                state: "{}", createdAt: at, updatedAt: at.addingTimeInterval(5))
            try conversation.insert(db)
            XCTAssertEqual(try ConversationRecord.fetchOne(db, key: conversation.id), conversation)
            var inbound = InboundRecord(
                id: nil, channel: .email, externalId: "<x@y>", contactId: contact.id, conversationId: conversation.id, sender: "a@example.org",
                threadKey: "t", rawSize: 42, text: "hello", receivedAt: at, processedAt: at.addingTimeInterval(1), error: "e", raw: Data([0, 1, 2]),
                outcome: .deferred, messageIds: "[\"<z@y>\"]", deferred: "{}")
            try inbound.insert(db)
            XCTAssertEqual(try InboundRecord.fetchOne(db, key: inbound.id), inbound)
            var outbox = OutboxMessage(
                id: nil, channel: .email, recipient: "a@example.org", contactId: contact.id, inboundId: inbound.id, subject: "s", body: "b",
                options: "[]", headers: "{}", attempts: 3, nextAttemptAt: at, sentAt: at.addingTimeInterval(2), lastError: "l", externalId: "m",
                createdAt: at, failedAt: at.addingTimeInterval(3), providerStatus: "read", html: "<p>", reviewEventId: nil, partsSent: 2, purgeOnSend: true)
            try outbox.insert(db)
            XCTAssertEqual(try OutboxMessage.fetchOne(db, key: outbox.id), outbox)
        }
    }

    /// The prepared-statement writes of the ingest path store what GRDB's own persistence would.
    func testTheIngestStatementsWriteWhatTheRecordsHold() throws {
        let h = try StoreHarness()
        defer { h.remove() }
        let at = Date(timeIntervalSince1970: 1_800_000_000.5)  // stored to the millisecond
        try h.database.writer.write { db in
            var contact = Contact(id: nil, channel: .telegram, address: "42", displayName: nil, language: "fr", email: nil, createdAt: at)
            try contact.insertNew(db)
            XCTAssertEqual(try Contact.fetchOne(db, key: contact.id), contact)
            var conversation = ConversationRecord(
                id: nil, contactId: contact.id!, form: nil, step: "consent", field: nil, answers: "{}", language: "fr", status: .active, state: "{}",
                createdAt: at, updatedAt: at)
            try conversation.saveState(db)
            XCTAssertEqual(try ConversationRecord.fetchOne(db, key: conversation.id), conversation)
            conversation.step = "question"
            conversation.updatedAt = at.addingTimeInterval(60)
            try conversation.saveState(db)
            XCTAssertEqual(try ConversationRecord.fetchOne(db, key: conversation.id), conversation)
            var inbound = InboundRecord(
                id: nil, channel: .telegram, externalId: "u1", contactId: nil, conversationId: nil, sender: "42", threadKey: nil, rawSize: 5, text: "salut",
                receivedAt: at, processedAt: nil, error: nil, raw: nil, outcome: .processed, messageIds: nil)
            XCTAssertTrue(try inbound.insertUnlessSeen(db))
            var again = inbound
            again.id = nil
            XCTAssertFalse(try again.insertUnlessSeen(db), "the same (channel, external id) is not stored twice")
            inbound.contactId = contact.id
            inbound.conversationId = conversation.id
            inbound.processedAt = at.addingTimeInterval(1)
            inbound.outcome = .deferred
            inbound.error = "waits"
            inbound.deferred = "{}"
            try inbound.saveOutcome(db)
            XCTAssertEqual(try InboundRecord.fetchOne(db, key: inbound.id), inbound)
            var outbox = OutboxMessage.queued(channel: .telegram, to: "42", contactId: contact.id, body: "Bonjour", at: at)
            try outbox.enqueue(db)
            XCTAssertEqual(try OutboxMessage.fetchOne(db, key: outbox.id), outbox)
        }
    }

    /// Dates written without DateFormatter read back as GRDB writes them, to the millisecond.
    func testStoredDatesMatchGRDBsOwnFormat() throws {
        let samples: [TimeInterval] = [0, 0.999, -1_172_056_388.3995, 1_800_000_000.123_456, 951_782_400.5, 4_102_444_799.999, -1.5, -86_400 * 365.25 * 50, 1_700_000_000]
        for seconds in samples {
            let date = Date(timeIntervalSince1970: seconds)
            XCTAssertEqual(StoredDate.text(date), String.fromDatabaseValue(date.databaseValue), "\(seconds)")
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let date = Date(timeIntervalSince1970: Double(Int64.random(in: -2_000_000_000...4_000_000_000, using: &generator)) / 1.0 + Double.random(in: 0..<1))
            XCTAssertEqual(StoredDate.text(date), String.fromDatabaseValue(date.databaseValue), "\(date.timeIntervalSince1970)")
        }
    }

    /// The backlog counter kept by triggers equals a count of the undelivered rows through inserts,
    /// deliveries, failures, retries and deletions.
    func testTheBacklogCounterFollowsTheOutbox() throws {
        let h = try StoreHarness()
        defer { h.remove() }
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        try h.database.writer.write { db in
            func check(_ label: String) throws {
                let counted = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")
                XCTAssertEqual(try OutboxMessage.backlog(db), counted, label)
            }
            var ids: [Int64] = []
            for n in 0..<6 {
                var row = OutboxMessage.queued(channel: .generic, to: "r\(n)", contactId: nil, body: "b", at: at)
                try row.enqueue(db)
                ids.append(row.id!)
            }
            var sentAlready = OutboxMessage.queued(channel: .generic, to: "s", contactId: nil, body: "b", at: at)
            sentAlready.sentAt = at
            try sentAlready.insert(db)
            try check("after inserts")
            try OutboxMessage.markSent(id: ids[0], at: at, db: db)
            try check("after a delivery")
            try OutboxMessage.markFailed(id: ids[1], error: "x", retryAt: nil, at: at, db: db)
            try check("after a failure for good")
            try OutboxMessage.markFailed(id: ids[2], error: "x", retryAt: at.addingTimeInterval(60), at: at, db: db)
            try check("after a failure to retry")
            try db.execute(sql: "UPDATE outbox SET failed_at = NULL WHERE id = ?", arguments: [ids[1]])
            try check("after a retry of a failed row")
            try db.execute(sql: "UPDATE outbox SET body = 'c'")
            try check("after an update of other columns")
            try db.execute(sql: "DELETE FROM outbox WHERE id IN (?, ?)", arguments: [ids[0], ids[3]])
            try check("after deletions")
            XCTAssertEqual(try OutboxMessage.backlog(db), 4)
        }
    }
}
