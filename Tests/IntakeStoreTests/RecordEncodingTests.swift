import Foundation
import GRDB
@testable import IntakeStore
import XCTest

/// The hot records write every column by hand: each reads back exactly as written, every field set.
final class RecordEncodingTests: XCTestCase {
    func testEveryFieldOfTheHandEncodedRecordsReadsBackEqual() throws {
        let h = try StoreHarness()
        defer { h.remove() }
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        try h.database.pool.write { db in
            var contact = Contact(id: nil, channel: "whatsapp", address: "+1555", displayName: "Ana", language: "ar", email: "a@example.org", createdAt: at)
            try contact.insert(db)
            XCTAssertEqual(try Contact.fetchOne(db, key: contact.id), contact)
            var conversation = ConversationRecord(
                id: nil, contactId: contact.id!, form: "pledge", step: "question", field: "title", answers: "{\"a\":1}", language: "ar", status: "active",
                state: "{}", createdAt: at, updatedAt: at.addingTimeInterval(5))
            try conversation.insert(db)
            XCTAssertEqual(try ConversationRecord.fetchOne(db, key: conversation.id), conversation)
            var inbound = InboundRecord(
                id: nil, channel: "email", externalId: "<x@y>", contactId: contact.id, conversationId: conversation.id, sender: "a@example.org",
                threadKey: "t", rawSize: 42, text: "hello", receivedAt: at, processedAt: at.addingTimeInterval(1), error: "e", raw: Data([0, 1, 2]),
                outcome: "deferred", messageIds: "[\"<z@y>\"]", deferred: "{}")
            try inbound.insert(db)
            XCTAssertEqual(try InboundRecord.fetchOne(db, key: inbound.id), inbound)
            var outbox = OutboxMessage(
                id: nil, channel: "email", recipient: "a@example.org", contactId: contact.id, inboundId: inbound.id, subject: "s", body: "b",
                options: "[]", headers: "{}", attempts: 3, nextAttemptAt: at, sentAt: at.addingTimeInterval(2), lastError: "l", externalId: "m",
                createdAt: at, failedAt: at.addingTimeInterval(3), providerStatus: "read", html: "<p>", reviewEventId: nil, partsSent: 2, purgeOnSend: true)
            try outbox.insert(db)
            XCTAssertEqual(try OutboxMessage.fetchOne(db, key: outbox.id), outbox)
        }
    }
}
