import Foundation
import GRDB
import IntakeStore
import XCTest

/// WhatsApp, Telegram and the generic hook through the real `serve`, replies observed at a fake provider API.
final class WebhookConversationTests: XCTestCase {
    var serve: ServeProcess!
    var fake: FakeProvider!
    var client: WebhookClient!

    override func setUp() async throws {
        fake = FakeProvider()
        try await fake.start()
        serve = ServeProcess(databasePath: NSTemporaryDirectory() + "hook-\(UUID().uuidString).sqlite", environment: ServeProcess.webhookEnvironment(fakePort: fake.port))
        try serve.start()
        client = WebhookClient(port: try serve.httpPort())
    }

    override func tearDown() async throws {
        serve.stop()
        serve.removeFiles()
        fake.stop()
    }

    static let pledgeAnswers = [
        "pledge", "BUTTON:1", "Jobs for refugee youth in Chad", "Acme Solar Ltd", "8", "BUTTON:2",
        "We will hire and train 200 young refugees and host community members as solar technicians over three years.",
        "1,2", "2", "1", "250000", "Chad", "2", "BUTTON:1", "ops@acme.example.org", "BUTTON:1", "ok",
    ]

    func testPledgeOverWhatsAppEndToEnd() async throws {
        for (index, answer) in Self.pledgeAnswers.enumerated() {
            let payload = answer.hasPrefix("BUTTON:")
                ? WebhookClient.whatsAppText(id: "wamid.\(index)", from: "254700000001", buttonId: String(answer.dropFirst(7)))
                : WebhookClient.whatsAppText(id: "wamid.\(index)", from: "254700000001", text: answer)
            let (status, _) = try await client.whatsApp(payload)
            XCTAssertEqual(status, 200)
        }
        // One reply per message, plus "let us start" before the first question.
        let replies = try await fake.waitFor(Self.pledgeAnswers.count + 1)
        XCTAssertTrue(replies.allSatisfy { $0.path == "/v21.0/106540352242922/messages" })
        XCTAssertTrue(replies.allSatisfy { $0.headers["authorization"] == "Bearer wa-access-token" })
        XCTAssertTrue(replies.allSatisfy { $0.json["to"] as? String == "254700000001" && $0.json["messaging_product"] as? String == "whatsapp" })
        let texts = replies.map(Self.whatsAppText)
        XCTAssertTrue(texts[0].contains("Privacy:"), texts[0])
        XCTAssertTrue(texts[1].contains("Let's start: pledge"), String(decoding: replies[1].body, as: UTF8.self))
        XCTAssertTrue(texts[2].contains("Question 1 of 15"), texts[2])
        XCTAssertTrue(texts[3].contains("Question 2 of 15"), "in order: \(texts[3])")
        // The yes/no question went out as reply buttons whose ids are option numbers.
        let buttons = replies.compactMap { (($0.json["interactive"] as? [String: Any])?["action"] as? [String: Any])?["buttons"] as? [[String: Any]] }
        XCTAssertFalse(buttons.isEmpty)
        XCTAssertEqual((buttons.first?.first?["reply"] as? [String: Any])?["id"] as? String, "1")
        let submission = try XCTUnwrap(try serve.read { db in try Submission.fetchOne(db) })
        XCTAssertTrue(submission.reference.hasPrefix("GCR-PL-"))
        XCTAssertTrue(texts.last!.contains(submission.reference), texts.last!)
        XCTAssertEqual(try submission.decodedAnswers()["is_joint"], .text("no"))
        XCTAssertEqual(try submission.decodedAnswers()["amount_usd"], .number(250_000))
    }

    func testPledgeOverTelegramEndToEndInTheContributorsLanguage() async throws {
        for (index, answer) in Self.pledgeAnswers.enumerated() {
            let update = answer.hasPrefix("BUTTON:")
                ? WebhookClient.telegramUpdate(id: 5000 + index, chat: 777, callbackData: String(answer.dropFirst(7)))
                : WebhookClient.telegramUpdate(id: 5000 + index, chat: 777, text: answer == "pledge" ? "engagement" : answer)
            let (status, _) = try await client.telegram(update)
            XCTAssertEqual(status, 200)
        }
        let replies = try await fake.waitFor(Self.pledgeAnswers.count + 1)
        XCTAssertTrue(replies.allSatisfy { $0.path == "/bot123:tg-bot-token/sendMessage" && "\($0.json["chat_id"] ?? "")" == "777" })
        let texts = replies.map { $0.json["text"] as? String ?? "" }
        XCTAssertTrue(texts[0].contains("Confidentialité"), "Telegram's language_code fr was used: \(texts[0])")
        XCTAssertTrue(texts[1].contains("Commençons : engagement"), texts[1])
        XCTAssertTrue(texts[2].contains("Question 1 sur 15"), texts[2])
        let keyboards = replies.compactMap { ($0.json["reply_markup"] as? [String: Any])?["inline_keyboard"] as? [[[String: Any]]] }
        XCTAssertFalse(keyboards.isEmpty, "choices carry an inline keyboard")
        let submission = try XCTUnwrap(try serve.read { db in try Submission.fetchOne(db) })
        XCTAssertTrue(texts.last!.contains(submission.reference), texts.last!)
        XCTAssertEqual(submission.language, "fr")
        // Each stage of each message was timed: decoding, the engine, the commit, the sending.
        let metrics = try await client.get("/metrics").text
        let count = Self.pledgeAnswers.count
        for series in [
            "{channel=\"telegram\",stage=\"decode\"} \(count)", "{channel=\"telegram\",stage=\"engine\"} \(count)",
            "{channel=\"telegram\",stage=\"send\"} \(count + 1)",
        ] {
            XCTAssertTrue(metrics.contains("gcr_intake_stage_seconds_count" + series), series + "\n" + metrics)
        }
        XCTAssertTrue(metrics.contains("gcr_intake_stage_seconds_count{channel=\"webhook\",stage=\"commit\"}"), metrics)
    }

    func testWhatsAppVerificationChallenge() async throws {
        let ok = try await client.get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=\(WebhookClient.verifyToken)&hub.challenge=1158201444")
        XCTAssertEqual(ok.status, 200)
        XCTAssertEqual(ok.text, "1158201444")
        let wrong = try await client.get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444")
        XCTAssertEqual(wrong.status, 403)
    }

    func testBadSignaturesOversizedAndMalformedBodiesAreRefusedWithTheRightStatus() async throws {
        let payload = WebhookClient.whatsAppText(id: "wamid.x", from: "254700000009", text: "hello")
        let r1 = try await client.whatsApp(payload, signature: "sha256=" + String(repeating: "0", count: 64)); XCTAssertEqual(r1.status, 401)
        let r2 = try await client.post("/webhooks/whatsapp", body: Data("{}".utf8), headers: [:]); XCTAssertEqual(r2.status, 401)
        let r3 = try await client.telegram(WebhookClient.telegramUpdate(id: 1, chat: 1, text: "hi"), token: "wrong"); XCTAssertEqual(r3.status, 401)
        let generic = try JSONSerialization.data(withJSONObject: ["id": "g1", "from": "+1", "text": "hi"])
        let r4 = try await client.post("/webhooks/generic", body: generic, headers: ["X-Intake-Signature": WebhookClient.sign(generic, "other")]); XCTAssertEqual(r4.status, 401)
        let huge = Data(repeating: UInt8(ascii: "a"), count: 300 * 1024)
        let r5 = try await client.post("/webhooks/generic", body: huge, headers: ["X-Intake-Signature": WebhookClient.sign(huge, WebhookClient.genericSecret)]); XCTAssertEqual(r5.status, 413)
        for broken in ["{not json", "[]", "{\"id\": 5, \"from\": \"+1\", \"text\": \"x\"}", "{\"id\": \"g2\", \"text\": \"no sender\"}"] {
            let body = Data(broken.utf8)
            let status = try await client.post("/webhooks/generic", body: body, headers: ["X-Intake-Signature": WebhookClient.sign(body, WebhookClient.genericSecret)]).status
            XCTAssertEqual(status, 400, broken)
        }
        let badShape = Data("{\"object\":\"whatsapp_business_account\",\"entry\":\"nope\"}".utf8)
        let r6 = try await client.post("/webhooks/whatsapp", body: badShape, headers: ["X-Hub-Signature-256": WebhookClient.sign(badShape, WebhookClient.whatsAppSecret)]); XCTAssertEqual(r6.status, 400)
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM inbound"), 0, "nothing refused was stored")
        let metrics = try await client.get("/metrics").text
        XCTAssertTrue(metrics.contains("gcr_intake_webhook_rejected_total{channel=\"generic\",status=\"413\"} 1"), metrics)
        XCTAssertTrue(metrics.contains("gcr_intake_webhook_rejected_total{channel=\"whatsapp\",status=\"401\"} 2"), metrics)
        let r7 = try await client.get("/healthz"); XCTAssertEqual(r7.status, 200)
    }

    func testRedeliveredMessageIsProcessedOnce() async throws {
        let payload = WebhookClient.whatsAppText(id: "wamid.same", from: "254700000002", text: "hello")
        for _ in 0..<3 { let r8 = try await client.whatsApp(payload); XCTAssertEqual(r8.status, 200) }
        // Every 200 came after its commit: what is stored now is all there will be.
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM inbound"), 1)
        _ = try await fake.waitFor(1)
        try await serve.waitUntil("the reply marked sent") { try serve.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL") == 1 }
        serve.stop()  // the outbox worker drained: nothing more can be sent
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM outbox"), 1, "one reply queued")
        XCTAssertEqual(fake.received.count, 1, "answered once")
    }

    func testRepliesAreDeliveredAfterTwo500sAndA429WithRetryAfter() async throws {
        fake.failNext([(500, nil), (500, nil), (429, 3)])
        let r9 = try await client.generic(["id": "retry-1", "from": "+15550100", "text": "hello"]); XCTAssertEqual(r9.status, 200)
        let attempts = try await fake.waitFor(4, timeout: 60)
        XCTAssertEqual(attempts.map { $0.json["in_reply_to"] as? String }, Array(repeating: "retry-1", count: 4))
        XCTAssertGreaterThanOrEqual(attempts[3].at.timeIntervalSince(attempts[2].at), 2.9, "Retry-After: 3 was honoured")
        XCTAssertEqual(Set(attempts.map { $0.json["id"] as? String }).count, 1, "the same reply, same id, each time")
        XCTAssertEqual(WebhookClient.sign(attempts[3].body, WebhookClient.genericSecret), attempts[3].headers["x-intake-signature"], "replies are signed")
        try await serve.waitUntil("marked sent") { try serve.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL AND attempts = 4") == 1 }
        serve.stop()  // the outbox worker drained: nothing more can be sent
        XCTAssertEqual(fake.received.count, 4, "no further delivery once it succeeded")
    }

    func testA4xxOtherThan429IsNotRetried() async throws {
        fake.failNext([(400, nil)])
        let r10 = try await client.generic(["id": "bad-1", "from": "+15550101", "text": "hello"]); XCTAssertEqual(r10.status, 200)
        _ = try await fake.waitFor(1)
        try await serve.waitUntil("marked failed") { try serve.count("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL") == 1 }
        serve.stop()  // the outbox worker drained: nothing more can be sent
        XCTAssertEqual(fake.received.count, 1)
    }

    static func whatsAppText(_ request: FakeProvider.Received) -> String {
        if let text = request.json["text"] as? [String: Any] { return text["body"] as? String ?? "" }
        let interactive = request.json["interactive"] as? [String: Any]
        return (interactive?["body"] as? [String: Any])?["text"] as? String ?? ""
    }
}
