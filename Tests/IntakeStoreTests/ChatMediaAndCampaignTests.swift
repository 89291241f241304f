import Foundation
import GRDB
import IntakeCore
@testable import IntakeStore
import XCTest

/// Files sent on chat channels, and calls for updates, through the real pipeline.
final class ChatMediaAndCampaignTests: XCTestCase {
    var store: StoreHarness!

    override func setUpWithError() throws { store = try StoreHarness() }
    override func tearDown() { store.remove() }

    private func file(_ bytes: String, type: String) -> InboundAttachment {
        let data = Data(bytes.utf8)
        return InboundAttachment(filename: nil, contentType: type, size: data.count, sha256: "sha-\(bytes.count)", data: data)
    }

    private func sendMedia(_ media: InboundMedia, file: InboundAttachment?, from sender: String, caption: String = "") throws -> [String] {
        store.clock = store.clock.addingTimeInterval(1)
        var message = InboundMessage(channel: .whatsapp, externalId: "wamid.\(UUID().uuidString)", sender: sender, text: caption, receivedAt: store.clock)
        message.media = media
        message.attachments = file.map { [$0] } ?? []
        guard case .processed(let outcome) = try store.processor.process(message, now: store.clock) else { throw StoreError("not processed") }
        return try store.database.writer.read { db in
            try outcome.outboxIds.map { try String.fetchOne(db, sql: "SELECT body FROM outbox WHERE id = ?", arguments: [$0]) ?? "" }
        }
    }

    /// Up to the good practice's description (a long-text question, at least 50 characters when written).
    private func atDescription(_ sender: String) throws {
        try store.consentedContact(sender)
        for text in ["hello", "1", "Sewing classes in Zaatari", "Amina", "1", "skip", "Jordan", "skip", "1", "1"] { try store.send(text, from: sender) }
    }

    func testAVoiceNoteAnswersALongTextQuestionAndIsKeptForAReviewer() throws {
        try atDescription("962790000010")
        let replies = try sendMedia(InboundMedia(kind: .voice, durationSeconds: 42), file: file("OggS voice", type: "audio/ogg"), from: "962790000010")
        XCTAssertEqual(replies.first, "Thank you, your voice note is kept as your answer. A team member will listen to it.")
        XCTAssertTrue(replies.last?.contains("Question 10") == true, replies.joined(separator: " | "))
        let (answers, kind, seconds, data) = try store.database.writer.read { db in
            (
                try String.fetchOne(db, sql: "SELECT answers FROM conversation ORDER BY id DESC LIMIT 1") ?? "",
                try String.fetchOne(db, sql: "SELECT media_kind FROM attachment"), try Int.fetchOne(db, sql: "SELECT duration_seconds FROM attachment"),
                try Data.fetchOne(db, sql: "SELECT data FROM attachment")
            )
        }
        XCTAssertTrue(answers.contains("voice note, 0:42"), answers)
        XCTAssertEqual(kind, "voice")
        XCTAssertEqual(seconds, 42)
        XCTAssertEqual(data, Data("OggS voice".utf8))
    }

    func testAPhotoIsAcknowledgedAndTheQuestionAskedAgainWithoutMovingOn() throws {
        try atDescription("962790000011")
        let replies = try sendMedia(InboundMedia(kind: .photo), file: file("JPEG", type: "image/jpeg"), from: "962790000011")
        XCTAssertEqual(replies.first, "Thank you, I received your photo. The team will see it with your answers.")
        XCTAssertTrue(replies.last?.contains("Question 9") == true)
        // A voice note at a short question is a file like any other: kept, acknowledged, the question stays.
        try store.send("Some fifty characters or more describing the practice in a few words.", from: "962790000011")
        try store.send("skip", from: "962790000011")
        try store.send("skip", from: "962790000011")
        let voiceAtText = try sendMedia(InboundMedia(kind: .voice, durationSeconds: 5), file: file("OggS 2", type: "audio/ogg"), from: "962790000011")
        XCTAssertEqual(voiceAtText.first, "Thank you, I received your voice note. The team will see it with your answers.")
        XCTAssertTrue(voiceAtText.last?.contains("Question 12") == true, voiceAtText.joined(separator: " | "))
    }

    func testAFileSentBeforeThePrivacyQuestionIsAnsweredKeepsNoBytes() throws {
        _ = try? sendMedia(InboundMedia(kind: .voice, durationSeconds: 9), file: file("OggS early", type: "audio/ogg"), from: "962790000013")
        let (count, kept) = try store.database.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attachment") ?? 0, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attachment WHERE data IS NOT NULL") ?? 0)
        }
        XCTAssertEqual(count, 1, "its description stays with the message")
        XCTAssertEqual(kept, 0, "its bytes do not, without a yes")
        // After the yes, a file is kept as usual.
        try store.send("yes", from: "962790000013")
        _ = try sendMedia(InboundMedia(kind: .photo), file: file("JPEG later", type: "image/jpeg"), from: "962790000013")
        XCTAssertEqual(try store.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attachment WHERE data IS NOT NULL") }, 1)
    }

    func testAFileTooLargeOrOfARefusedTypeIsExplainedAndNothingMoves() throws {
        try atDescription("962790000012")
        let large = try sendMedia(InboundMedia(kind: .video, problem: .tooLarge(limit: 16 * 1024 * 1024)), file: nil, from: "962790000012")
        XCTAssertEqual(large.first, "This file is too large: the limit is 16 MB. Please send a smaller file, or write your answer.")
        let sticker = try sendMedia(InboundMedia(kind: .photo, problem: .notAllowed), file: nil, from: "962790000012")
        XCTAssertTrue(sticker.first?.hasPrefix("Sorry, I cannot keep this kind of file.") == true)
        XCTAssertTrue(sticker.last?.contains("Question 9") == true)
        XCTAssertEqual(try store.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attachment") }, 0)
    }

    // MARK: - Calls for updates

    /// Plans and runs campaign `name` on GRF 2023's pledges now; returns how many invitations it queued.
    @discardableResult
    private func runCampaign(_ name: String, whatsApp: Bool = false) throws -> Int {
        let campaign = PledgeCampaign(catalog: StoreFixtures.catalog, messageIdDomain: "example.org", whatsApp: whatsApp)
        let now = store.clock
        return try store.database.writer.write { db in
            try campaign.run(try campaign.plan(name: name, forum: "grf_2023", staleDays: 180, now: now, db: db), name: name, forum: "grf_2023", perMinute: 30, now: now, db: db)
        }
    }

    private func importPledges(_ count: Int, forum: String = "grf_2023", contact: (Int) -> String) throws {
        try store.database.writer.write { db in
            for index in 1...count {
                var input = PledgeInput(externalId: String(format: "GRF-%05d", index), title: "Pledge number \(index) on school places")
                input.forum = forum
                input.contacts = [contact(index)]
                _ = try PledgeRegistry.upsert(input, source: "import", at: store.clock, db: db)
            }
        }
    }

    func testACampaignInvitesEachPledgeOnceAndAReplyStartsTheUpdateTiedToIt() throws {
        try importPledges(3) { "focal\($0)@example.org" }
        let campaign = PledgeCampaign(catalog: StoreFixtures.catalog, messageIdDomain: "example.org", whatsApp: false)
        XCTAssertEqual(campaign.forumId("GRF 2023"), "grf_2023")
        XCTAssertEqual(campaign.forumId("Global Refugee Forum 2023"), "grf_2023")
        XCTAssertNil(campaign.forumId("GRF 1999"))
        let name = PledgeCampaign.defaultName(forum: "grf_2023")
        let now = store.clock
        let plan = try store.database.writer.read { db in try campaign.plan(name: name, forum: "grf_2023", staleDays: 180, now: now, db: db) }
        XCTAssertEqual(plan.invitations.map(\.recipient), ["focal1@example.org", "focal2@example.org", "focal3@example.org"])
        XCTAssertEqual(try store.database.writer.write { db in try campaign.run(plan, name: name, forum: "grf_2023", perMinute: 60, now: now, db: db) }, 3)
        let again = try store.database.writer.write { db in
            try campaign.run(try campaign.plan(name: name, forum: "grf_2023", staleDays: 180, now: now, db: db), name: name, forum: "grf_2023", perMinute: 60, now: now, db: db)
        }
        XCTAssertEqual(again, 0, "a second run queues none")
        let invitation = try XCTUnwrap(store.database.writer.read { db in try OutboxMessage.filter(Column("recipient") == "focal2@example.org").fetchOne(db) })
        XCTAssertEqual(invitation.subject, "How is your pledge GRF-00002 going?")
        XCTAssertTrue(invitation.body.contains("Pledge number 2 on school places"))
        XCTAssertEqual(invitation.nextAttemptAt.timeIntervalSince(now), 1, accuracy: 0.01, "spaced one second apart at 60 a minute")

        // The focal point replies: privacy notice first, then the update form starts on GRF-00002, its pledge answered.
        store.clock = store.clock.addingTimeInterval(3600)
        try store.send("Hello, happy to report", from: "focal2@example.org", channel: .email)
        let afterYes = try store.send("yes", from: "focal2@example.org", channel: .email)
        guard case .processed(let outcome) = afterYes else { return XCTFail("\(afterYes)") }
        let text = try store.database.writer.read { db in try String.fetchOne(db, sql: "SELECT body FROM outbox WHERE id = ?", arguments: [outcome.outboxIds.first]) ?? "" }
        XCTAssertTrue(text.contains("Let's record progress on GRF-00002"), text)
        XCTAssertFalse(text.contains("Which pledge"), text)
        let answers = try store.database.writer.read { db in try String.fetchOne(db, sql: "SELECT answers FROM conversation ORDER BY id DESC LIMIT 1") ?? "" }
        XCTAssertTrue(answers.contains("GRF-00002"), answers)
        let status = try store.database.writer.read { db in try PledgeCampaign.status(db: db) }
        XCTAssertEqual(status.first?.replied, 1)
        XCTAssertEqual(status.first?.waiting, 3)
    }

    func testReplyingTheWordTheInvitationAsksForStartsOnThePledgeToo() throws {
        let text = try firstReplyOfAnInvitedContributor("update")
        XCTAssertTrue(text.contains("Let's record progress on GRF-00001"), text)
    }

    func testStatusStillAnswersStatusForAnInvitedContributor() throws {
        let text = try firstReplyOfAnInvitedContributor("status")
        XCTAssertFalse(text.contains("Let's record progress"), text)
    }

    /// A contributor who agreed before is invited to report on the one pledge, writes `text` an hour
    /// later: the first reply they get.
    private func firstReplyOfAnInvitedContributor(_ text: String) throws -> String {
        try importPledges(1) { _ in "focal@example.org" }
        try store.consentedContact("focal@example.org", channel: .email)
        try runCampaign("c")
        store.clock = store.clock.addingTimeInterval(3600)
        guard case .processed(let outcome) = try store.send(text, from: "focal@example.org", channel: .email) else {
            XCTFail("\(text): not processed")
            return ""
        }
        return try store.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT body FROM outbox WHERE id = ?", arguments: [outcome.outboxIds.first]) ?? ""
        }
    }

    func testErasureTakesTheInvitationsSentToTheContributor() throws {
        try importPledges(2) { "focal\($0)@example.org" }
        try runCampaign("c")
        try store.send("erase my data", from: "focal1@example.org", channel: .email)
        let left = try store.database.writer.read { db in try String.fetchAll(db, sql: "SELECT recipient FROM campaign_invite") }
        XCTAssertEqual(left, ["focal2@example.org"])
    }

    func testStopToAnInvitationOptsOutOfThatPledge() throws {
        try importPledges(1) { _ in "254711000001" }
        let queued = try runCampaign("c1", whatsApp: true)
        let campaign = PledgeCampaign(catalog: StoreFixtures.catalog, messageIdDomain: "example.org", whatsApp: true)
        XCTAssertEqual(queued, 1)
        let row = try XCTUnwrap(store.database.writer.read { db in try OutboxMessage.filter(Column("recipient") == "254711000001").fetchOne(db) })
        XCTAssertEqual(row.channel, .whatsapp)
        XCTAssertEqual(OutboxTemplate.from(column: row.template)?.kind, "pledge_update_invite", "a WhatsApp invitation can go as a template")
        store.clock = store.clock.addingTimeInterval(60)
        try store.send("stop", from: "254711000001")
        let open = try store.database.writer.read { db in try PledgeCampaign.openInvitation(channel: .whatsapp, address: "254711000001", now: store.clock, db: db) }
        XCTAssertNil(open)
        XCTAssertEqual(try store.database.writer.read { db in try PledgeCampaign.status(db: db) }.first?.optedOut, 1)
        // "No more about this pledge" holds in the next campaign too.
        let next = try store.database.writer.read { db in try campaign.plan(name: "c2", forum: "grf_2023", staleDays: 180, now: store.clock, db: db) }
        XCTAssertEqual(next.invitations.count, 0)
        XCTAssertEqual(next.optedOut, 1)
    }
}
