import Foundation
import GRDB
import IntakeCore
@testable import IntakeStore
import XCTest

/// Consent, erasure on request, and retention.
final class PrivacyTests: XCTestCase {
    var h: StoreHarness!

    override func setUpWithError() throws { h = try StoreHarness() }
    override func tearDown() { h.remove() }

    /// Every place in the database where `needle` still appears, case-insensitively: every column of every
    /// table, blobs (raw mail, attachments) included.
    private func traces(of needle: String) throws -> [String] {
        try h.database.writer.read { db in
            var found: [String] = []
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
                for column in try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map({ $0["name"] as String }) {
                    let count = try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM \(table) WHERE instr(lower(CAST(\(column) AS TEXT)), lower(?)) > 0", arguments: [needle])!
                    if count > 0 { found.append("\(table).\(column) (\(count))") }
                }
            }
            return found
        }
    }

    func testForgetLeavesNoTraceOfTheAddressAndKeepsApprovedWorkAnonymised() throws {
        let address = "amina.yusuf@example.org"
        let phone = "+254744444444"
        let raw = Data("From: Amina <\(address)>\r\nSubject: update\r\n\r\nhello\r\n".utf8)
        // By email: one approved, one still waiting, with the raw mail and an attachment kept.
        let approvedByMail = try h.submitUpdate(from: address, channel: .email, raw: raw)
        try h.desk.act(.approve, reference: approvedByMail, reviewer: "ana", note: "Checked with \(address) by phone.", at: h.clock)
        let waitingByMail = try h.submitUpdate(
            from: address, channel: .email, raw: raw,
            attachments: [InboundAttachment(filename: "report-\(address).pdf", contentType: "application/pdf", size: 4, sha256: "00", data: Data(address.utf8))])
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM attachment"), 1)
        // On WhatsApp, the same person gave the address as their contact email.
        let approvedByChat = try h.submitUpdate(from: phone, email: address)
        // They confirm it by answering our one confirmation request from that mailbox.
        let request = try h.database.writer.read { db in try String.fetchOne(db, sql: "SELECT message_id FROM email_verification")! }
        try h.send("yes it was me", from: address, channel: .email, references: [request])
        try h.desk.act(.approve, reference: approvedByChat, reviewer: "ana", note: nil, at: h.clock)
        // Someone else, who must not be touched.
        let other = try h.submitUpdate(from: "+254755555555", email: "other@example.org")
        try h.desk.act(.approve, reference: other, reviewer: "ana", note: nil, at: h.clock)
        XCTAssertFalse(try traces(of: address).isEmpty)
        let otherBefore = try traces(of: "other@example.org")

        let report = try h.database.writer.write { db -> Eraser.Report in
            let eraser = Eraser(catalog: StoreFixtures.catalog)
            let ids = try eraser.contacts(matching: address.uppercased(), db: db)
            XCTAssertEqual(ids.count, 2, "the email contact and the WhatsApp contact who gave the address")
            return try eraser.forget(contactIds: ids, requestedBy: "dpo", at: h.clock, db: db)
        }

        XCTAssertEqual(try traces(of: address), [], "no trace of the address in any column")
        XCTAssertEqual(try traces(of: phone), [], "nor of the phone number of the same person")
        XCTAssertEqual(try traces(of: "Amina"), [], "nor of their name from the raw mail")
        XCTAssertEqual(report.contacts, 2)
        XCTAssertEqual(report.submissionsAnonymised, 2)
        XCTAssertEqual(report.submissionsDeleted, 1)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM submission WHERE reference = ?", [waitingByMail]), 0)
        for reference in [approvedByMail, approvedByChat] {
            let kept = try h.submission(reference)
            XCTAssertEqual(kept.status, .approved)
            XCTAssertNil(kept.contactId)
            let answers = try kept.decodedAnswers()
            XCTAssertNil(answers["contact_email"])
            XCTAssertEqual(answers["progress"], .text("We distributed 300 solar lamps in 2024."), "the contribution itself stays")
            XCTAssertEqual(
                try h.count("SELECT COUNT(*) FROM review_event WHERE submission_id = ? AND action = 'anonymised' AND reviewer = 'dpo'", [kept.id!]), 1)
        }
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM erasure WHERE requested_by = 'dpo' AND contacts = 2"), 1)
        XCTAssertEqual(try traces(of: "other@example.org"), otherBefore, "another contributor's data is untouched")
        XCTAssertEqual(try h.submission(other).contactId != nil, true)
    }

    func testForgettingAShortChatNameLeavesOtherPeoplesTextAlone() throws {
        let theirs = try h.submitUpdate(from: "ana", channel: .terminal)
        let other = try h.submitUpdate(from: "+254700000123")
        try h.desk.act(.comment, reference: other, reviewer: "bo", note: "Banana farmers, see Ana's notes", at: h.clock)
        try h.database.writer.write { db in
            let eraser = Eraser(catalog: StoreFixtures.catalog)
            try eraser.forget(contactIds: try eraser.contacts(matching: "ana", db: db), requestedBy: "dpo", at: h.clock, db: db)
        }
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM submission WHERE reference = ?", [theirs]), 0)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM review_event WHERE note = 'Banana farmers, see Ana''s notes'"), 1)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM inbound WHERE external_id LIKE 'erased:%' AND channel != 'terminal'"), 0)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM contact"), 1)
    }

    func testNoToThePrivacyNoticeErasesTheConversationAndKeepsNothingElse() throws {
        try h.send("Hello, I would like to share a practice", from: "+254766666666")
        guard case .recorded(_, let outcome, _) = try h.send("no", from: "+254766666666") else { return XCTFail("not recorded as erased") }
        XCTAssertEqual(outcome, .erased)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM conversation"), 0)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM contact"), 0)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM inbound WHERE text != '' OR sender != ''"), 0, "what they wrote is gone")
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM inbound WHERE outcome = 'erased'"), 2, "the rows stay so a redelivery is not processed again")
        let reply = try h.database.writer.read { db in try OutboxMessage.order(Column("id").desc).fetchOne(db)! }
        XCTAssertEqual(reply.body, StoreFixtures.catalog.pack("en").message(.consentDeclined))
        XCTAssertEqual(reply.recipient, "+254766666666", "the answer still goes out")
        // Writing again starts afresh, with the notice again.
        try h.send("hello", from: "+254766666666")
        let state = try h.database.activeConversation(channel: .whatsapp, address: "+254766666666")
        XCTAssertEqual(state?.step, .consent)
    }

    func testAnythingButYesOrNoIsAskedAgainAndKeepsNothingMoreThanTheFirstMessage() throws {
        try h.send("hi", from: "+254777777777")
        try h.send("what is this?", from: "+254777777777")
        XCTAssertEqual(try h.database.activeConversation(channel: .whatsapp, address: "+254777777777")?.step, .consent)
        try h.send("1", from: "+254777777777")  // the "yes" button
        XCTAssertEqual(try h.database.activeConversation(channel: .whatsapp, address: "+254777777777")?.step, .chooseForm)
    }

    func testEraseMyDataInTheConversationForgetsTheContributor() throws {
        let reference = try h.submitUpdate(from: "+254788888888", email: "erase.me@example.org")
        try h.send("hello", from: "+254788888888")
        try h.send("yes", from: "+254788888888")
        guard case .recorded(_, .erased, _) = try h.send("Erase my data", from: "+254788888888") else { return XCTFail("not erased") }
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM submission WHERE reference = ?", [reference]), 0)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM contact"), 0)
        XCTAssertEqual(try traces(of: "erase.me@example.org"), [])
        // Only the confirmation is left, unlinked, waiting to be delivered to them.
        let left = try h.database.writer.read { db in try OutboxMessage.fetchAll(db) }
        XCTAssertEqual(left.map(\.body), [StoreFixtures.catalog.pack("en").message(.erased)])
        XCTAssertNil(left.first?.contactId)
    }

    func testRetentionPurgesStaleDraftsAndRawMailButKeepsSubmissions() throws {
        let raw = Data("From: someone@example.org\r\n\r\nhello\r\n".utf8)
        let reference = try h.submitUpdate(from: "old@example.org", channel: .email, raw: raw)
        try h.send("hello", from: "+254799999999")
        try h.send("yes", from: "+254799999999")
        try h.send("1", from: "+254799999999")
        let draftsBefore = try h.count("SELECT COUNT(*) FROM conversation WHERE status = 'active'")
        XCTAssertEqual(draftsBefore, 1)
        // A cutoff before everything purges nothing.
        let none = try h.database.writer.write { db in try Retention.purge(before: Date(timeIntervalSince1970: 0), db: db) }
        XCTAssertEqual(none, Retention.Purge())
        // A cutoff after everything: the draft and raw mail go, the submission and its conversation stay.
        let purge = try h.database.writer.write { db in try Retention.purge(before: h.clock.addingTimeInterval(1), db: db) }
        XCTAssertEqual(purge.drafts, 1)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM conversation WHERE status = 'active'"), 0)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM inbound WHERE raw IS NOT NULL"), 0)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM submission WHERE reference = ?", [reference]), 1)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM conversation WHERE status = 'submitted'"), 1)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"), try h.count("SELECT COUNT(*) FROM outbox"), "undelivered messages stay")
    }
}
