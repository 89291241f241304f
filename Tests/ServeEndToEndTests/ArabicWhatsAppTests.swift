import Foundation
import GRDB
import IntakeStore
import XCTest

/// An Arabic contributor on WhatsApp with no email answers in her own words (no option numbers),
/// gets the received notice on WhatsApp, and is not shown the privacy notice when she writes again.
final class ArabicWhatsAppTests: XCTestCase {
    var serve: ServeProcess!
    var fake: FakeProvider!
    var client: WebhookClient!

    override func setUp() async throws {
        fake = FakeProvider()
        try await fake.start()
        serve = ServeProcess(
            databasePath: NSTemporaryDirectory() + "arabic-\(UUID().uuidString).sqlite", environment: ServeProcess.webhookEnvironment(fakePort: fake.port))
        try serve.start()
        client = WebhookClient(port: try serve.httpPort())
    }

    override func tearDown() async throws {
        serve.stop()
        serve.removeFiles()
        fake.stop()
    }

    static let phone = "962790000001"

    /// Words, never option numbers; colloquial yes; "I have no email".
    static let answers = [
        "السلام عليكم، بدي شارك تجربة ناجحة",
        "ايوه",
        "دروس خياطة للنساء في مخيم الزعتري",
        "أمينة",
        "لاجئة",
        "تخطي",
        "الأردن",
        "الشرق الاوسط",
        "اعتماد اللاجئين على انفسهم",
        "التعليم، سبل العيش",
        "علمنا ٤٠ امرأة لاجئة الخياطة في المخيم وصار عندهن دخل من بيع الملابس للجيران",
        "النساء اللاجئات هن المدربات",
        "تخطي",
        "لا يوجد",
        "٢٠٢١",
        "مستمر",
        "٤٠ امرأة تعلمت الخياطة و٢٥ منهن يعملن الآن",
        "تخطي",
        "ما عندي ايميل",
        "نعم",
        "موافق",
    ]

    func testAnArabicContributorWithNoEmailFinishesInHerOwnWordsAndIsNotAskedToConsentAgain() async throws {
        for (index, answer) in Self.answers.enumerated() {
            let (status, _) = try await client.whatsApp(WebhookClient.whatsAppText(id: "wamid.ar.\(index)", from: Self.phone, text: answer))
            XCTAssertEqual(status, 200)
        }
        try await serve.waitUntil("the submission") { try serve.count("SELECT COUNT(*) FROM submission") == 1 }
        let submission = try XCTUnwrap(try serve.read { db in try Submission.fetchOne(db) })
        let answers = try submission.decodedAnswers()
        XCTAssertEqual(submission.kind, "good_practice")
        XCTAssertEqual(submission.language, "ar")
        XCTAssertEqual(answers["submitter_entity_type"], .text("individual"))
        XCTAssertEqual(answers["region"], .text("mena"))
        XCTAssertEqual(answers["gcr_objectives"], .list(["refugee_self_reliance"]))
        XCTAssertEqual(answers["areas"], .list(["education", "jobs_livelihoods"]))
        XCTAssertEqual(answers["countries"], .list(["JO"]))
        XCTAssertEqual(answers["start_year"], .number(2021))
        XCTAssertEqual(answers["end_year"], .text("ongoing"))
        XCTAssertNil(answers["contact_email"], "no email, and nothing blocked the end")
        XCTAssertNil(answers["partners"])
        // The received notice went to her WhatsApp, in Arabic, with the reference.
        let notice = try await waitForText { $0.contains(submission.reference) }
        XCTAssertTrue(notice.contains("ممارستك الجيدة"), notice)
        let all = fake.received.map(WebhookConversationTests.whatsAppText)
        XCTAssertFalse(all.joined().contains("{"), "no placeholder reached her")
        let privacy = all.filter { $0.contains("الخصوصية") }.count
        XCTAssertEqual(privacy, 1, "the notice once, at the start")
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM outbox WHERE channel = 'email'"), 0, "no email anywhere")
        XCTAssertNotNil(try serve.read { db in try String.fetchOne(db, sql: "SELECT consent_version FROM contact") }, "the yes is recorded")

        // Days later she writes again: a short welcome and the menu, not the privacy notice.
        let before = fake.received.count
        let (status, _) = try await client.whatsApp(WebhookClient.whatsAppText(id: "wamid.ar.later", from: Self.phone, text: "شكرا"))
        XCTAssertEqual(status, 200)
        let later = try await fake.waitFor(before + 1).dropFirst(before).map(WebhookConversationTests.whatsAppText).joined(separator: "\n")
        XCTAssertFalse(later.contains("الخصوصية"), later)
        XCTAssertTrue(later.contains("1.") && later.contains("3."), "the menu: \(later)")

        // And "status" tells her where her practice is.
        let count = fake.received.count
        _ = try await client.whatsApp(WebhookClient.whatsAppText(id: "wamid.ar.status", from: Self.phone, text: "حالة"))
        let status2 = try await fake.waitFor(count + 1).dropFirst(count).map(WebhookConversationTests.whatsAppText).joined(separator: "\n")
        XCTAssertTrue(status2.contains(submission.reference), status2)
    }

    private func waitForText(_ match: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let found = fake.received.map(WebhookConversationTests.whatsAppText).first(where: match) { return found }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw Failure("no such message; got:\n" + fake.received.map(WebhookConversationTests.whatsAppText).joined(separator: "\n---\n"))
    }
}
