import Foundation
import GRDB
import IntakeCore
@testable import IntakeStore
import XCTest
import IntakePipeline

/// Strangers who know someone's reference tag, type someone else's address, or share digits with them.
final class HostileSenderTests: XCTestCase {
    var h: StoreHarness!

    override func setUpWithError() throws { h = try StoreHarness(onDisk: true) }  // the write-ahead log is looked at
    override func tearDown() { h.remove() }

    private func outbox() throws -> [OutboxMessage] {
        try h.database.writer.read { db in try OutboxMessage.order(Column("id")).fetchAll(db) }
    }

    /// A victim's email conversation, a few answers in: returns its subject tag.
    private func victimConversation() throws -> String {
        try h.send("I want to make a pledge", from: "victim@example.org", channel: .email, subject: "pledge")
        try h.send("yes", from: "victim@example.org", channel: .email)
        try h.send("2", from: "victim@example.org", channel: .email)
        let subject = try outbox().last!.subject!
        return String(subject[subject.range(of: "[GCR-")!.lowerBound...])
    }

    func testAStrangerQuotingSomeonesTagStartsTheirOwnConversation() throws {
        let tag = try victimConversation()
        let before = try h.database.writer.read { db in try String.fetchOne(db, sql: "SELECT state FROM conversation")! }
        try h.send("erase my data", from: "attacker@evil.test", channel: .email, subject: "Re: \(tag)")
        try h.send("edit 1", from: "attacker@evil.test", channel: .email, subject: "Re: \(tag)")
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM contact WHERE address = 'victim@example.org'"), 1, "the victim is not erased")
        XCTAssertEqual(try h.database.writer.read { db in try String.fetchOne(db, sql: "SELECT state FROM conversation ORDER BY id LIMIT 1")! }, before)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM contact WHERE address = 'attacker@evil.test'"), 1, "the stranger got a contact of their own")
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM inbound WHERE sender = 'victim@example.org' AND text != ''"), 3)
    }

    func testAStrangerReferringToOurMailToSomeoneElseIsNotThreadedToThem() throws {
        _ = try victimConversation()
        let ours = try outbox().last!.externalId!
        try h.send("erase my data", from: "attacker@evil.test", channel: .email, references: [ours], subject: "Re: hello")
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM contact WHERE address = 'victim@example.org'"), 1)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM conversation WHERE contact_id = (SELECT id FROM contact WHERE address = 'victim@example.org')"), 1)
    }

    func testTheOwnerStillThreadsByTagFromTheSameAddressInAnyCase() throws {
        let tag = try victimConversation()
        try h.send("My pledge title", from: "Victim@Example.org".lowercased(), channel: .email, subject: "Re: \(tag)")
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM contact"), 1)
    }

    func testATypedContactEmailGetsOneConfirmationRequestAndNoContributorText() throws {
        _ = try h.submitUpdate(from: "+15550001", email: "victim3@example.net")
        _ = try h.submitUpdate(from: "+15550002", email: "VICTIM3@example.net")
        let toVictim = try outbox().filter { $0.recipient.lowercased() == "victim3@example.net" }
        XCTAssertEqual(toVictim.count, 1, "one confirmation request, whoever types the address and however often")
        let request = try XCTUnwrap(toVictim.first)
        XCTAssertFalse(request.body.contains("solar lamps"), "never the contributor's text")
        XCTAssertEqual(request.body, StoreFixtures.catalog.pack("en").message(.emailVerificationBody, ["channel": "WhatsApp"]))
        XCTAssertNil(request.reviewEventId, "not a notice")
    }

    func testNoticesGoToATypedAddressOnlyOnceItsOwnerAnswered() throws {
        let first = try h.submitUpdate(from: "+15550001", email: "owner@example.net")
        try h.desk.act(.approve, reference: first, reviewer: "ana", note: nil, at: h.clock)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM outbox WHERE recipient = 'owner@example.net' AND review_event_id IS NOT NULL"), 0)
        let request = try outbox().first { $0.recipient == "owner@example.net" }!.externalId!
        guard case .recorded(_, .notAnswered, _) = try h.send("it's me", from: "owner@example.net", channel: .email, references: [request]) else {
            return XCTFail("the confirmation is recorded, not answered")
        }
        let second = try h.submitUpdate(from: "+15550001", email: "owner@example.net")
        XCTAssertEqual(
            try h.count(
                "SELECT COUNT(*) FROM outbox WHERE recipient = 'owner@example.net' AND review_event_id IN (SELECT e.id FROM review_event e JOIN submission s ON s.id = e.submission_id WHERE s.reference = ?)",
                [second]), 1, "the received notice now goes by email too")
    }

    func testAnotherSenderCannotConfirmAnAddress() throws {
        _ = try h.submitUpdate(from: "+15550001", email: "owner@example.net")
        let request = try outbox().first { $0.recipient == "owner@example.net" }!.externalId!
        try h.send("confirm", from: "attacker@evil.test", channel: .email, references: [request])
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM email_verification WHERE verified_at IS NOT NULL"), 0)
    }

    func testEraseMyDataNeverTouchesTheMailOfAnAddressTheContributorTyped() throws {
        try h.send("Hello, here is our practice", from: "victim3@example.net", channel: .email, subject: "practice")
        _ = try h.submitUpdate(from: "+15550001", email: "victim3@example.net")
        try h.send("hi", from: "+15550001")
        try h.send("yes", from: "+15550001")
        guard case .recorded(_, .erased, _) = try h.send("erase my data", from: "+15550001") else { return XCTFail("not erased") }
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM inbound WHERE sender = 'victim3@example.net' AND text = 'Hello, here is our practice'"), 1)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM contact WHERE address = 'victim3@example.net'"), 1)
    }

    func testForgetMatchesExactIdsAndARedeliveryOfAnErasedMessageIsStillRecognised() throws {
        for (user, id) in [("912345678", "9001"), ("612345699", "9002"), ("123456", "9003")] {
            try h.send("hello", from: user, channel: .telegram, id: id)
        }
        try h.database.writer.write { db in
            let eraser = Eraser(catalog: StoreFixtures.catalog)
            try eraser.forget(contactIds: try eraser.contacts(matching: "123456", db: db), address: "123456", requestedBy: "dpo", at: h.clock, db: db)
        }
        let ids = try h.database.writer.read { db in try String.fetchAll(db, sql: "SELECT external_id FROM inbound ORDER BY id") }
        XCTAssertEqual(Array(ids.prefix(2)), ["9001", "9002"], "other people's ids are untouched")
        XCTAssertTrue(ids[2].hasPrefix("erased:") && !ids[2].contains("9003"), "the erased id is a keyed hash")
        XCTAssertEqual(try h.send("hello", from: "123456", channel: .telegram, id: "9003"), .duplicate, "a redelivery is recognised")
        XCTAssertEqual(try h.send("hello again", from: "912345678", channel: .telegram, id: "9001"), .duplicate)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM contact"), 2)
    }

    func testErasureOverwritesDeletedDataAndTruncatesTheLog() throws {
        XCTAssertEqual(try h.database.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA secure_delete") }, 1)
        _ = try h.submitUpdate(from: "+15550009", email: "erase.me@example.org")
        try h.send("hi", from: "+15550009")
        try h.send("yes", from: "+15550009")
        XCTAssertGreaterThan(try walSize(), 0)
        guard case .recorded(_, .erased, _) = try h.send("erase my data", from: "+15550009") else { return XCTFail("not erased") }
        XCTAssertEqual(try walSize(), 0, "no old frame keeps the erased number")
        // The confirmation of the erasure goes once, then leaves no trace.
        let left = try outbox()
        XCTAssertEqual(left.count, 1)
        try h.database.writer.write { db in try OutboxMessage.markSent(id: left[0].id!, at: h.clock, db: db) }
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM outbox"), 0)
    }

    private func walSize() throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: h.path + "-wal")[.size] as? Int) ?? 0
    }
}

/// Floods: messages over a contact's cap or a full outbox wait and are answered later, within bounds.
final class DeferredMessageTests: XCTestCase {
    var h: StoreHarness!

    override func tearDown() { h.remove() }

    private func harness(_ policy: ProcessorPolicy) throws -> StoreHarness {
        let h = try StoreHarness(policy: policy)
        self.h = h
        return h
    }

    func testMessagesOverTheCapWaitAndAreAnsweredInOrderOnceTheWindowPasses() throws {
        let h = try harness(ProcessorPolicy(replyCaps: [.whatsapp: .init(count: 3, window: 60)], deferredPerContact: 5))
        // Someone who agreed before: each message is answered (no privacy notice to give up on).
        try h.consentedContact("+15550300")
        for index in 1...10 { try h.send("hello \(index)", from: "+15550300") }
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM inbound WHERE outcome = 'deferred'"), 5, "waiting, within the bound")
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM inbound WHERE outcome = 'rate_limited'"), 3, "past the bound: kept, not answered")
        let before = try h.count("SELECT COUNT(*) FROM outbox")
        // Nothing moves while the window lasts; afterwards the oldest waiting messages are answered first.
        XCTAssertEqual(try h.database.writer.write { db in try h.processor.resumeDeferred(now: h.clock, db: db) }, 0)
        let later = h.clock.addingTimeInterval(61)
        let resumed = try h.database.writer.write { db in try h.processor.resumeDeferred(now: later, db: db) }
        XCTAssertGreaterThan(resumed, 0)
        XCTAssertGreaterThan(try h.count("SELECT COUNT(*) FROM outbox"), before)
        let order = try h.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT text FROM inbound WHERE outcome = 'processed' ORDER BY processed_at, id")
        }
        XCTAssertEqual(order, (0..<order.count).map { "hello \($0 + 1)" }, "answered in the order they came")
    }

    func testEraseMyDataIsCarriedOutAtOnceEvenPastTheBoundOfWaitingMessages() throws {
        let h = try harness(ProcessorPolicy(replyCaps: [.whatsapp: .init(count: 3, window: 60)], deferredPerContact: 5))
        try h.send("hello", from: "+15550600")
        try h.send("yes", from: "+15550600")
        for index in 1...10 { try h.send("flood \(index)", from: "+15550600") }
        guard case .recorded(_, .erased, _) = try h.send("erase my data", from: "+15550600") else { return XCTFail("not erased at once") }
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM contact"), 0)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM inbound WHERE text != '' OR deferred IS NOT NULL"), 0, "what waited went too")
        XCTAssertEqual(try h.database.writer.write { db in try h.processor.resumeDeferred(now: h.clock.addingTimeInterval(3600), db: db) }, 0)
    }

    func testAFullOutboxDefersNewMessagesUntilItDrains() throws {
        let h = try harness(ProcessorPolicy(replyCaps: [:], outboxCeiling: 3))
        for index in 1...3 { try h.send("hi", from: "+1555040\(index)") }
        XCTAssertGreaterThanOrEqual(try h.count("SELECT COUNT(*) FROM outbox"), 3)
        guard case .recorded(_, .deferred, let reason) = try h.send("hi", from: "+15550499") else { return XCTFail("not deferred") }
        XCTAssertTrue(reason.contains("outbox is full"), reason)
        try h.database.writer.write { db in try db.execute(sql: "UPDATE outbox SET sent_at = ?", arguments: [h.clock]) }
        XCTAssertEqual(try h.database.writer.write { db in try h.processor.resumeDeferred(now: h.clock, db: db) }, 1)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM inbound WHERE outcome = 'deferred'"), 0)
    }

    func testALongRefusalQuotesAtMostSixtyCharactersAndCapsCountProviderMessages() throws {
        let h = try harness(ProcessorPolicy(replyCaps: [.whatsapp: .init(count: 5, window: 60)]))
        try h.send("I want to make a pledge", from: "+15550500")
        try h.send("yes", from: "+15550500")
        try h.send("2", from: "+15550500")
        // An answer far too long for a title: the refusal does not carry it back.
        try h.send(String(repeating: "spam ", count: 48_000), from: "+15550500")
        let longest = try h.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT MAX(length(body)) FROM outbox")! }
        XCTAssertLessThan(longest, 2_000)
    }
}
