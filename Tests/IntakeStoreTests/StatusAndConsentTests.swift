import Foundation
import GRDB
import IntakeCore
@testable import IntakeStore
import XCTest

/// Consent and "status" as the store keeps them: once per contact, and only one's own submissions.
final class StatusAndConsentTests: XCTestCase {
    var h: StoreHarness!

    override func setUpWithError() throws { h = try StoreHarness() }
    override func tearDown() { h.remove() }

    private func lastReplies(to sender: String, _ count: Int = 3) throws -> String {
        try h.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT body FROM outbox WHERE recipient = ? ORDER BY id DESC LIMIT ?", arguments: [sender, count])
        }.reversed().joined(separator: "\n")
    }

    func testTheYesIsRecordedOnTheContactAndNotAskedAgain() throws {
        let reference = try h.submitUpdate(from: "+254700000100")
        let contact = try h.database.writer.read { db in try Row.fetchOne(db, sql: "SELECT consent_version, consent_at FROM contact") }
        XCTAssertEqual(contact?["consent_version"], h.processor.engine.catalog.privacyNoticeVersion)
        XCTAssertNotNil(contact?["consent_at"] as Date?)
        try h.send("thanks", from: "+254700000100")
        let replies = try lastReplies(to: "+254700000100", 2)
        let en = h.processor.engine.catalog.pack("en")
        XCTAssertFalse(replies.contains(en.message(.privacyNotice)), replies)
        XCTAssertTrue(replies.contains(en.message(.welcomeBack)), replies)
        XCTAssertFalse(reference.isEmpty)
    }

    func testStatusShowsOwnSubmissionsOnlyAndNeverAnotherContributors() throws {
        let mine = try h.submitUpdate(from: "+254700000101")
        let theirs = try h.submitUpdate(from: "+254700000102")
        try h.send("status", from: "+254700000101")
        let all = try lastReplies(to: "+254700000101", 2)
        XCTAssertTrue(all.contains(mine), all)
        XCTAssertFalse(all.contains(theirs), all)
        try h.send("status \(theirs.lowercased())", from: "+254700000101")
        let other = try lastReplies(to: "+254700000101", 2)
        let en = h.processor.engine.catalog.pack("en")
        XCTAssertTrue(other.contains(en.message(.statusUnknown, ["reference": theirs])), other)
        XCTAssertFalse(other.contains("GCR-PL-000007"), "nothing of their answers: \(other)")
    }

    func testAStoppedDraftIsKeptAndResumeBringsItBackDaysLater() throws {
        let sender = "+254700000103"
        for text in ["3", "yes", "GCR-PL-000009", "2", "stop", "yes"] { try h.send(text, from: sender) }
        XCTAssertNil(try h.database.activeConversation(channel: .whatsapp, address: sender), "stopped")
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM conversation WHERE status = 'stopped'"), 1)
        h.clock = h.clock.addingTimeInterval(3 * 86_400)
        try h.send("hello", from: sender)
        try h.send("resume", from: sender)
        let state = try XCTUnwrap(try h.database.activeConversation(channel: .whatsapp, address: sender))
        XCTAssertEqual(state.field, "people_reached", "where it stopped")
        XCTAssertEqual(state.answers["pledge_reference"], .text("GCR-PL-000009"))
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM conversation WHERE status = 'active'"), 1, "the empty one opened by hello is closed")
    }
}
