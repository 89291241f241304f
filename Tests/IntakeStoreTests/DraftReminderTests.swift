import Foundation
import GRDB
import IntakeCore
import IntakeExport
@testable import IntakeStore
import XCTest

/// Reminders and expiry of idle drafts, with the clock in the test's hands: one reminder at 23 hours on the
/// draft's channel, a second by email after 3 days when an address is known, expiry after 30 days; none after
/// stop, none before consent; each queued once.
final class DraftReminderTests: XCTestCase {
    var store: StoreHarness!
    var reminders: DraftReminders!

    override func setUpWithError() throws {
        store = try StoreHarness()
        reminders = DraftReminders(engine: store.processor.engine, messageIdDomain: "example.org")
    }

    override func tearDown() { store.remove() }

    /// A contact in the good-practice form, at question 2 (their name), on `channel`.
    private func draftAtQuestionTwo(_ sender: String, channel: Channel = .whatsapp) throws {
        try store.consentedContact(sender, channel: channel)
        try store.send("hello", from: sender, channel: channel)
        try store.send("1", from: sender, channel: channel)
        try store.send("Sewing classes in Zaatari", from: sender, channel: channel)
    }

    private func sweep(after seconds: TimeInterval) throws -> DraftReminders.Report {
        let now = store.clock.addingTimeInterval(seconds)
        return try store.database.writer.write { db in try reminders.sweep(now: now, db: db) }
    }

    private func outbox(_ sender: String) throws -> [OutboxMessage] {
        try store.database.writer.read { db in try OutboxMessage.filter(Column("recipient") == sender).order(Column("id")).fetchAll(db) }
    }

    func testOneReminderAfter23HoursOnTheDraftsChannelSayingWhereItStopped() throws {
        try draftAtQuestionTwo("254700000001")
        let before = try outbox("254700000001").count
        XCTAssertEqual(try sweep(after: 22 * 3600).total, 0, "nothing before 23 hours")
        XCTAssertEqual(try sweep(after: 23 * 3600 + 1).reminded, 1)
        let rows = try outbox("254700000001")
        XCTAssertEqual(rows.count, before + 1)
        let reminder = try XCTUnwrap(rows.last)
        XCTAssertEqual(reminder.channel, .whatsapp)
        XCTAssertTrue(reminder.body.contains("question 2"), reminder.body)
        XCTAssertTrue(reminder.body.contains("good practice"), reminder.body)
        let template = try XCTUnwrap(OutboxTemplate.from(column: reminder.template))
        XCTAssertEqual(template.kind, "reminder")
        XCTAssertEqual(template.values["number"], "2")
        // Once: the next sweeps, later the same day, queue nothing more on the channel.
        XCTAssertEqual(try sweep(after: 23 * 3600 + 60).total, 0)
        XCTAssertEqual(try sweep(after: 2 * 86_400).total, 0)
        XCTAssertEqual(try outbox("254700000001").count, before + 1)
    }

    func testAReplyAfterTheReminderGoesOnWhereItStoppedAndCountsAsResumed() throws {
        try draftAtQuestionTwo("254700000002")
        XCTAssertEqual(try sweep(after: 23 * 3600 + 1).reminded, 1)
        store.clock = store.clock.addingTimeInterval(24 * 3600)
        try store.send("Amina", from: "254700000002")
        XCTAssertTrue(try XCTUnwrap(outbox("254700000002").last).body.contains("Question 3"))
        let stats = try Statistics.compute(database: store.database, catalog: StoreFixtures.catalog)
        XCTAssertEqual([stats.draftsReminded, stats.draftsResumed, stats.draftsExpired], [1, 1, 0])
    }

    func testNoReminderAfterStopNorBeforeConsent() throws {
        try draftAtQuestionTwo("254700000003")
        try store.send("stop", from: "254700000003")
        try store.send("yes", from: "254700000003")
        let status = try store.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT status FROM conversation c JOIN contact k ON k.id = c.contact_id WHERE k.address = ? ORDER BY c.id DESC", arguments: ["254700000003"])
        }
        XCTAssertEqual(status, "stopped")
        // A new contact left at the privacy notice: nothing is sent without a yes.
        try store.send("hello", from: "254700000004")
        let before = try outbox("254700000003").count + outbox("254700000004").count
        XCTAssertEqual(try sweep(after: 5 * 86_400).total, 0)
        XCTAssertEqual(try outbox("254700000003").count + outbox("254700000004").count, before)
    }

    func testEmailContributorsGetTheSecondReminderByEmailAfterThreeDays() throws {
        try draftAtQuestionTwo("ana@example.org", channel: .email)
        XCTAssertEqual(try sweep(after: 23 * 3600 + 1).reminded, 1)
        XCTAssertEqual(try sweep(after: 2 * 86_400).emailed, 0, "not before 3 days")
        XCTAssertEqual(try sweep(after: 3 * 86_400 + 1).emailed, 1)
        let mails = try outbox("ana@example.org").suffix(2)
        XCTAssertEqual(mails.map(\.channel), [.email, .email])
        XCTAssertEqual(mails.last?.subject, "Your contribution to the GCR platform is waiting")
        XCTAssertTrue(mails.last?.body.contains("question 2") == true)
        XCTAssertEqual(try sweep(after: 10 * 86_400).total, 0, "no third reminder")
    }

    func testAWhatsAppDraftWithoutAConfirmedAddressGetsNoEmail() throws {
        try draftAtQuestionTwo("254700000005")
        XCTAssertEqual(try sweep(after: 23 * 3600 + 1).reminded, 1)
        XCTAssertEqual(try sweep(after: 4 * 86_400).emailed, 0)
        let emails = try store.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE channel = 'email'") }
        XCTAssertEqual(emails, 0)
    }

    func testAfter30DaysTheDraftExpiresWithANoticeAndTheNextMessageStartsAfresh() throws {
        try draftAtQuestionTwo("254700000006")
        let report = try sweep(after: 30 * 86_400 + 1)
        XCTAssertEqual(report.expired, 1)
        XCTAssertEqual(report.reminded, 0, "an expired draft is not also reminded")
        let notice = try XCTUnwrap(outbox("254700000006").last)
        XCTAssertTrue(notice.body.contains("30 days"), notice.body)
        XCTAssertEqual(OutboxTemplate.from(column: notice.template)?.kind, "draft_expired")
        XCTAssertEqual(try sweep(after: 31 * 86_400).total, 0, "expired once")
        store.clock = store.clock.addingTimeInterval(31 * 86_400)
        try store.send("hello", from: "254700000006")
        XCTAssertTrue(try XCTUnwrap(outbox("254700000006").last).body.contains("1."), "the menu again")
        let stats = try Statistics.compute(database: store.database, catalog: StoreFixtures.catalog)
        XCTAssertEqual(stats.draftsExpired, 1)
    }
}
