import Foundation
import GRDB
import IntakeCore
@testable import IntakeStore
import XCTest

final class ReviewDeskTests: XCTestCase {
    var h: StoreHarness!

    override func setUpWithError() throws { h = try StoreHarness(onDisk: true) }  // two connections on one file
    override func tearDown() { h.remove() }

    /// Brings a new submission to `status` the way reviewers would.
    private func submission(in status: String, contributor: String) throws -> String {
        let reference = try h.submitUpdate(from: contributor)
        switch status {
        case "approved": try h.desk.act(.approve, reference: reference, reviewer: "ana", note: nil, at: h.clock)
        case "rejected": try h.desk.act(.reject, reference: reference, reviewer: "ana", note: "out of scope", at: h.clock)
        case "changes_requested": try h.desk.act(.requestChanges, reference: reference, reviewer: "ana", note: "add figures", at: h.clock)
        default: break
        }
        XCTAssertEqual(try h.submission(reference).status.rawValue, status)
        return reference
    }

    func testEveryActionIsAllowedOrRefusedAccordingToTheStatus() throws {
        // The rules, written out here rather than read from the code under test.
        let allowed: [ReviewAction: Set<String>] = [
            .approve: ["submitted"], .reject: ["submitted", "changes_requested"], .requestChanges: ["submitted"],
            .assign: ["submitted", "changes_requested"], .comment: ["submitted", "changes_requested", "approved", "rejected"],
        ]
        let after: [ReviewAction: String] = [.approve: "approved", .reject: "rejected", .requestChanges: "changes_requested"]
        var contributor = 0
        for status in ["submitted", "changes_requested", "approved", "rejected"] {
            for action in ReviewAction.allCases {
                contributor += 1
                let reference = try submission(in: status, contributor: "+2547000\(String(format: "%05d", contributor))")
                let events = try h.count("SELECT COUNT(*) FROM review_event")
                let outbox = try h.count("SELECT COUNT(*) FROM outbox")
                do {
                    let outcome = try h.desk.act(action, reference: reference, reviewer: "bo", note: "a note", at: h.clock)
                    XCTAssertTrue(allowed[action]!.contains(status), "\(action) must be refused when \(status)")
                    XCTAssertEqual(outcome.submission.status.rawValue, after[action] ?? status)
                    XCTAssertEqual(try h.submission(reference).status.rawValue, after[action] ?? status)
                    XCTAssertEqual(try h.count("SELECT COUNT(*) FROM review_event"), events + 1, "one audit event per action")
                } catch let error as ReviewError {
                    XCTAssertFalse(allowed[action]!.contains(status), "\(action) must be allowed when \(status): \(error)")
                    XCTAssertEqual(error.code, .refused)
                    XCTAssertTrue(error.message.contains("it is \(status)"), error.message)
                    XCTAssertEqual(try h.submission(reference).status.rawValue, status, "a refused action changes nothing")
                    XCTAssertEqual(try h.count("SELECT COUNT(*) FROM review_event"), events)
                    XCTAssertEqual(try h.count("SELECT COUNT(*) FROM outbox"), outbox)
                }
            }
        }
        XCTAssertEqual(contributor, 20)
    }

    func testConcurrentApproveAndRejectFromTwoConnectionsExactlyOneWins() throws {
        let references = try (0..<12).map { try h.submitUpdate(from: "+25471000000\($0)") }
        // Two separate pools on the same file, as two reviewers' processes would have.
        let desks = [StoreHarness.desk(try IntakeDatabase(path: h.path)), StoreHarness.desk(try IntakeDatabase(path: h.path))]
        for reference in references {
            let results = LockedResults()
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                do {
                    let action: ReviewAction = index == 0 ? .approve : .reject
                    let outcome = try desks[index].act(action, reference: reference, reviewer: "reviewer-\(index)", note: "why", at: Date())
                    results.add(.success(outcome.submission.status.rawValue))
                } catch {
                    results.add(.failure(error))
                }
            }
            let wins = results.all.compactMap { try? $0.get() }
            let losses = results.all.compactMap { result -> ReviewError? in if case .failure(let e) = result { return e as? ReviewError } else { return nil } }
            XCTAssertEqual(wins.count, 1, "\(reference): exactly one reviewer wins, got \(results.all)")
            XCTAssertEqual(losses.map(\.code), [.refused], "\(reference): the other is told why")
            XCTAssertEqual(try h.submission(reference).status.rawValue, wins.first)
            let decisions = try h.count(
                "SELECT COUNT(*) FROM review_event e JOIN submission s ON s.id = e.submission_id WHERE s.reference = ? AND e.action IN ('approved', 'rejected')",
                [reference])
            XCTAssertEqual(decisions, 1)
        }
    }

    func testNoticesAreQueuedOncePerEventOnEachOfTheContributorsChannels() throws {
        let reference = try h.submitUpdate(from: "+254711111111", email: "Amina@Example.org")
        let submissionId = try h.submission(reference).id!
        func notices(_ action: String) throws -> [String] {
            try h.database.writer.read { db in
                try String.fetchAll(
                    db,
                    sql: "SELECT o.channel || ' ' || o.recipient FROM outbox o JOIN review_event e ON e.id = o.review_event_id WHERE e.submission_id = ? AND e.action = ? ORDER BY o.channel",
                    arguments: [submissionId, action])
            }
        }
        XCTAssertEqual(try notices("submitted"), ["whatsapp +254711111111"], "received: by chat; the typed address is not confirmed yet")
        // The confirmation redelivered by the provider is a duplicate: nothing is queued again.
        let okId = try h.database.writer.read { db in try String.fetchOne(db, sql: "SELECT external_id FROM inbound ORDER BY id DESC LIMIT 1")! }
        XCTAssertEqual(try h.send("ok", from: "+254711111111", id: okId), .duplicate)
        XCTAssertEqual(try notices("submitted").count, 1)
        // Its owner answers our one confirmation request: from now on notices go there too.
        let request = try h.database.writer.read { db in try String.fetchOne(db, sql: "SELECT message_id FROM email_verification")! }
        try h.send("yes, that is me", from: "amina@example.org", channel: .email, references: [request])

        try h.desk.act(.assign, reference: reference, reviewer: "ana", note: nil, at: h.clock)
        try h.desk.act(.comment, reference: reference, reviewer: "ana", note: "looks fine", at: h.clock)
        XCTAssertEqual(try notices("assigned") + notices("commented"), [], "internal actions send nothing")
        let outcome = try h.desk.act(.approve, reference: reference, reviewer: "ana", note: "Well documented.", at: h.clock)
        XCTAssertEqual(outcome.outboxIds.count, 2)
        XCTAssertEqual(try notices("approved"), ["email amina@example.org", "whatsapp +254711111111"])
        let email = try h.database.writer.read { db in try OutboxMessage.filter(Column("review_event_id") == outcome.event.id! && Column("channel") == "email").fetchOne(db)! }
        XCTAssertEqual(email.subject, "Approved: your pledge update [\(reference)]")
        XCTAssertTrue(email.body.contains("Well documented."), email.body)
        XCTAssertTrue(email.html?.contains("<html lang=\"en\" dir=\"ltr\">") ?? false)
        // The database itself refuses a second notice for the same event and channel.
        XCTAssertThrowsError(
            try h.database.writer.write { db in
                try db.execute(
                    sql: "INSERT INTO outbox (channel, recipient, body, options, headers, next_attempt_at, created_at, review_event_id) VALUES ('email', 'x@example.org', 'b', '[]', '{}', ?, ?, ?)",
                    arguments: [Date(), Date(), outcome.event.id])
            })
    }

    func testAnEmailContributorsNoticesAnswerTheirLastMailInTheirLanguage() throws {
        let reference = try h.submitUpdate(from: "amina@example.org", channel: .email, language: "fr")
        let received = try h.database.writer.read { db in try OutboxMessage.filter(Column("review_event_id") != nil).fetchAll(db) }
        XCTAssertEqual(received.map(\.channel), [.email], "one email, no chat message")
        let lastMail = try h.database.writer.read { db in try String.fetchOne(db, sql: "SELECT external_id FROM inbound ORDER BY id DESC LIMIT 1")! }
        let headers = try JSONDecoder().decode([String: String].self, from: Data(received[0].headers.utf8))
        XCTAssertEqual(headers["In-Reply-To"], lastMail)
        XCTAssertEqual(received[0].subject, "Nous avons reçu votre point d'avancement [\(reference)]")
        XCTAssertEqual(received[0].externalId, headers["Message-ID"])
    }

    func testAConversationStartedInArabicCompletesAndItsNoticesAreInArabic() throws {
        let contributor = "+962790000001"
        for text in [
            "السلام عليكم، أريد الإبلاغ عن تقدم تعهد", "نعم", "GCR-PL-000007", "٢", "٤٥٠٠ شخص", "تخطي", "الأردن", "وزعنا 300 مصباح شمسي على الأسر في 2024.", "تخطي", "تخطي",
            "amina@example.org", "نعم",
        ] {
            try h.send(text, from: contributor)
        }
        try h.confirmEmail("amina@example.org", for: contributor)
        let state = try XCTUnwrap(try h.database.activeConversation(channel: .whatsapp, address: contributor))
        XCTAssertEqual(state.language, "ar")
        XCTAssertEqual(state.step, .summary)
        guard case .processed(let outcome) = try h.send("موافق", from: contributor), let reference = outcome.submissionReference else {
            return XCTFail("not submitted")
        }
        let submission = try h.submission(reference)
        XCTAssertEqual(submission.language, "ar")
        XCTAssertEqual(try submission.decodedAnswers()["status"], .text("in_progress"))
        let notices = try h.database.writer.read { db in try OutboxMessage.filter(Column("review_event_id") != nil).order(Column("channel")).fetchAll(db) }
        XCTAssertEqual(notices.map(\.channel), [.email, .whatsapp])
        let chat = notices[1].body
        XCTAssertTrue(chat.hasPrefix("شكرا! استلمنا تقريرك عن التقدم."), chat)
        XCTAssertTrue(chat.contains("رقمك المرجعي هو \(reference)"), chat)
        XCTAssertTrue(chat.contains("الحالة: قيد التنفيذ"), chat)
        XCTAssertEqual(notices[0].subject, "استلمنا تقريرك عن التقدم [\(reference)]")
        XCTAssertTrue(notices[0].html?.contains("<html lang=\"ar\" dir=\"rtl\">") ?? false)
        // Approved: the contributor hears it in Arabic too.
        let approved = try h.desk.act(.approve, reference: reference, reviewer: "ana", note: nil, at: h.clock)
        let approval = try h.database.writer.read { db in try OutboxMessage.filter(Column("review_event_id") == approved.event.id! && Column("channel") == "whatsapp").fetchOne(db)! }
        XCTAssertTrue(approval.body.hasPrefix("خبر سار"), approval.body)
    }

    func testRequestChangesReopensTheConversationAtTheSummaryAndTheEditUpdatesTheSameSubmission() throws {
        let contributor = "+254722222222"
        let reference = try h.submitUpdate(from: contributor)
        // Meanwhile the contributor began another contribution.
        try h.send("hello", from: contributor)
        try h.send("yes", from: contributor)
        try h.send("1", from: contributor)
        try h.send("Solar schools", from: contributor)
        let outcome = try h.desk.act(.requestChanges, reference: reference, reviewer: "ana", note: "Please say how many lamps still work.", at: h.clock)
        let notice = try h.database.writer.read { db in try OutboxMessage.filter(Column("review_event_id") == outcome.event.id! && Column("channel") == "whatsapp").fetchOne(db)! }
        XCTAssertTrue(notice.body.contains("Please say how many lamps still work."), notice.body)
        XCTAssertTrue(notice.body.contains("3. What has been done: We distributed 300 solar lamps in 2024.") || notice.body.contains("We distributed 300 solar lamps"), notice.body)
        let state = try XCTUnwrap(try h.database.activeConversation(channel: .whatsapp, address: contributor))
        XCTAssertEqual(state.step, .summary)
        XCTAssertEqual(state.editing, reference)

        let progressNumber = StoreFixtures.catalog.form("pledge_update")!.askedFields(answers: state.answers, channel: .whatsapp).firstIndex { $0.id == "progress" }! + 1
        try h.send("edit \(progressNumber)", from: contributor)
        try h.send("We distributed 300 solar lamps in 2024; 280 still work.", from: contributor)
        guard case .processed(let sent) = try h.send("ok", from: contributor) else { return XCTFail("not processed") }
        XCTAssertEqual(sent.submissionReference, reference, "the same submission, not a new one")
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM submission"), 1)
        let edited = try h.submission(reference)
        XCTAssertEqual(edited.status, .submitted)
        XCTAssertEqual(try edited.decodedAnswers()["progress"], .text("We distributed 300 solar lamps in 2024; 280 still work."))
        let history = try h.database.writer.read { db in try String.fetchAll(db, sql: "SELECT action FROM review_event WHERE submission_id = ? ORDER BY id", arguments: [edited.id!]) }
        XCTAssertEqual(history, ["submitted", "changes_requested", "resubmitted"])
        XCTAssertEqual(
            try h.count("SELECT COUNT(*) FROM outbox o JOIN review_event e ON e.id = o.review_event_id WHERE e.action = 'resubmitted'"), 1,
            "by chat only: the typed address was never confirmed")
        // The draft they had going on comes back where it was.
        let resumed = try XCTUnwrap(try h.database.activeConversation(channel: .whatsapp, address: contributor))
        XCTAssertEqual(resumed.form, "good_practice")
        XCTAssertEqual(resumed.answers["title"], .text("Solar schools"))
        // And the reviewer can now approve it.
        XCTAssertEqual(try h.desk.act(.approve, reference: reference, reviewer: "ana", note: nil, at: h.clock).submission.status, .approved)
    }

    func testUnknownReferencesAndBadUsageHaveTheirCodes() throws {
        let reference = try h.submitUpdate(from: "+254733333333")
        func code(_ body: () throws -> Any) -> ReviewError.Code? {
            do { _ = try body() } catch let error as ReviewError { return error.code } catch { XCTFail("\(error)") }
            return nil
        }
        XCTAssertEqual(code { try self.h.desk.act(.approve, reference: "GCR-PL-999999", reviewer: "ana", note: nil, at: self.h.clock) }, .unknownReference)
        XCTAssertEqual(code { try self.h.desk.act(.approve, reference: reference, reviewer: " ", note: nil, at: self.h.clock) }, .badUsage)
        XCTAssertEqual(code { try self.h.desk.act(.approve, reference: reference, reviewer: "contributor", note: nil, at: self.h.clock) }, .badUsage)
        XCTAssertEqual(code { try self.h.desk.act(.reject, reference: reference, reviewer: "ana", note: "  ", at: self.h.clock) }, .badUsage)
        XCTAssertEqual(code { try self.h.desk.act(.requestChanges, reference: reference, reviewer: "ana", note: nil, at: self.h.clock) }, .badUsage)
        // References are read case-insensitively.
        XCTAssertEqual(try h.desk.act(.approve, reference: reference.lowercased(), reviewer: "ana", note: nil, at: h.clock).submission.reference, reference)
    }
}

/// Results gathered from concurrent work.
final class LockedResults: @unchecked Sendable {  // `list` is only touched under `lock`
    private let lock = NSLock()
    private var list: [Result<String, Error>] = []
    func add(_ result: Result<String, Error>) { lock.withLock { list.append(result) } }
    var all: [Result<String, Error>] { lock.withLock { list } }
}
