import Foundation
import GRDB
import XCTest

/// WhatsApp beyond its 24-hour window (template messages), voice notes and photos over WhatsApp and Telegram,
/// Telegram's button answers and webhook registration: through the real `serve` and a fake provider API.
final class ChatMediaAndTemplateTests: XCTestCase {
    var serve: ServeProcess!
    var fake: FakeProvider!
    var client: WebhookClient!

    override func setUp() async throws {
        fake = FakeProvider()
        try await fake.start()
        serve = ServeProcess(
            databasePath: NSTemporaryDirectory() + "media-\(UUID().uuidString).sqlite", environment: ServeProcess.webhookEnvironment(fakePort: fake.port))
        try serve.start()
        client = WebhookClient(port: try serve.httpPort())
    }

    override func tearDown() async throws {
        serve.stop()
        serve.removeFiles()
        fake.stop()
    }

    /// A good practice on WhatsApp in Arabic words; `replace` swaps answers by index for other webhook bodies.
    private func goodPractice(on phone: String, replace: [Int: [[String: Any]]] = [:]) async throws -> String {
        for (index, answer) in ArabicWhatsAppTests.answers.enumerated() {
            for body in replace[index] ?? [WebhookClient.whatsAppText(id: "wamid.\(phone).\(index)", from: phone, text: answer)] {
                let (status, _) = try await client.whatsApp(body)
                XCTAssertEqual(status, 200)
            }
        }
        try await serve.waitUntil("the submission of \(phone)") {
            try serve.count("SELECT COUNT(*) FROM submission s JOIN contact c ON c.id = s.contact_id WHERE c.address = '\(phone)'") == 1
        }
        return try serve.read { db in
            try String.fetchOne(db, sql: "SELECT reference FROM submission s JOIN contact c ON c.id = s.contact_id WHERE c.address = ?", arguments: [phone]) ?? ""
        }
    }

    private func sentTo(_ phone: String) -> [FakeProvider.Received] {
        fake.received.filter { $0.path.hasSuffix("/messages") && $0.json["to"] as? String == phone }
    }

    func testAnApprovalThreeDaysLaterGoesAsATemplateAndInsideTheWindowAsText() async throws {
        let late = try await goodPractice(on: "962790000101")
        let soon = try await goodPractice(on: "962790000102")
        let raced = try await goodPractice(on: "962790000103")
        // The first contributor last wrote three days ago.
        try serve.write { db in
            try db.execute(sql: "UPDATE inbound SET received_at = datetime(received_at, '-3 days') WHERE sender = '962790000101'")
        }
        XCTAssertEqual(try serve.cli(["review", "approve", late, "--reviewer", "rania"]).status, 0)
        try await serve.waitUntil("the template") { sentTo("962790000101").contains { $0.json["type"] as? String == "template" } }
        let template = try XCTUnwrap(sentTo("962790000101").last?.json["template"] as? [String: Any])
        XCTAssertEqual(template["name"] as? String, "gcr_approved")
        XCTAssertEqual((template["language"] as? [String: Any])?["code"] as? String, "ar")
        let parameters = ((template["components"] as? [[String: Any]])?.first?["parameters"] as? [[String: Any]])?.compactMap { $0["text"] as? String }
        XCTAssertEqual(parameters, [late, "دروس خياطة للنساء في مخيم الزعتري"])

        // Inside the window: the notice as text. (The "received" notice of the submission went to the same
        // number before: the approval's own row is the one looked at.)
        XCTAssertEqual(try serve.cli(["review", "approve", soon, "--reviewer", "rania"]).status, 0)
        let approval = "FROM outbox o JOIN review_event e ON e.id = o.review_event_id WHERE o.recipient = '962790000102' AND e.action = 'approved'"
        try await serve.waitUntil("the approval notice sent") { try serve.count("SELECT COUNT(*) \(approval) AND o.sent_at IS NOT NULL") == 1 }
        let (wamid, body) = try serve.read { db -> (String, String) in
            let row = try Row.fetchOne(db, sql: "SELECT o.external_id, o.body \(approval)")
            return ((row?["external_id"] as String?) ?? "", (row?["body"] as String?) ?? "")
        }
        XCTAssertFalse(wamid.isEmpty, "the provider's id is kept")
        XCTAssertTrue(
            sentTo("962790000102").contains { (($0.json["text"] as? [String: Any])?["body"] as? String)?.hasPrefix(String(body.prefix(40))) == true },
            "the approval went as text")
        XCTAssertFalse(sentTo("962790000102").contains { $0.json["type"] as? String == "template" })

        // WhatsApp accepted the text, then reports it failed for the closed window (131047, in a status webhook):
        // the notice goes again, as its template, once.
        let failed: [String: Any] = [
            "object": "whatsapp_business_account",
            "entry": [["id": "1", "changes": [["field": "messages", "value": [
                "messaging_product": "whatsapp",
                "statuses": [["id": wamid, "status": "failed", "timestamp": "1732440000", "recipient_id": "962790000102",
                              "errors": [["code": 131047, "title": "Re-engagement message"]]]],
            ] as [String: Any]]]]],
        ]
        for _ in 0..<2 {
            let (status, _) = try await client.whatsApp(failed)
            XCTAssertEqual(status, 200)
        }
        try await serve.waitUntil("the template after the failed status") { sentTo("962790000102").contains { $0.json["type"] as? String == "template" } }
        try await Task.sleep(for: .seconds(1))
        let resent = sentTo("962790000102").filter { $0.json["type"] as? String == "template" }
        XCTAssertEqual(resent.count, 1, "once, though the status came twice")
        XCTAssertEqual((resent.first?.json["template"] as? [String: Any])?["name"] as? String, "gcr_approved", "the approval, as its template")

        // The window closes between our check and WhatsApp's: 131047, then the template.
        fake.closeWindow(true)
        XCTAssertEqual(try serve.cli(["review", "approve", raced, "--reviewer", "rania"]).status, 0)
        try await serve.waitUntil("the template after 131047") { sentTo("962790000103").contains { $0.json["type"] as? String == "template" } }
        let attempts = sentTo("962790000103").suffix(2).map { $0.json["type"] as? String }
        XCTAssertEqual(attempts, ["text", "template"])
        try await serve.waitUntil("the row delivered") {
            try serve.count("SELECT COUNT(*) FROM outbox WHERE recipient = '962790000103' AND review_event_id IS NOT NULL AND sent_at IS NOT NULL") >= 1
        }
    }

    /// An Ogg Opus voice note of `seconds` (pre-skip 312): the first page carries OpusHead, the last one the granule.
    static func voiceNote(seconds: Int) -> Data {
        func page(granule: UInt64, sequence: UInt32, packet: [UInt8]) -> [UInt8] {
            var bytes = Array("OggS".utf8) + [0, sequence == 0 ? 2 : 4]
            bytes += withUnsafeBytes(of: granule.littleEndian, Array.init)
            bytes += [1, 0, 0, 0] + withUnsafeBytes(of: sequence.littleEndian, Array.init) + [0, 0, 0, 0]
            bytes += [1, UInt8(packet.count)] + packet
            return bytes
        }
        let head = Array("OpusHead".utf8) + [1, 1, 0x38, 0x01, 0x80, 0xBB, 0, 0, 0, 0, 0]
        let audio = [UInt8](repeating: 0xFC, count: 120)
        return Data(page(granule: 0, sequence: 0, packet: head) + page(granule: 312 + UInt64(seconds) * 48_000, sequence: 1, packet: audio))
    }

    private func whatsAppMedia(id: String, from phone: String, type: String, mediaId: String, voice: Bool = false) -> [String: Any] {
        var body = WebhookClient.whatsAppText(id: id, from: phone, text: "")
        var change = ((body["entry"] as! [[String: Any]])[0]["changes"] as! [[String: Any]])[0]
        var value = change["value"] as! [String: Any]
        var media: [String: Any] = ["id": mediaId, "mime_type": type == "audio" ? "audio/ogg; codecs=opus" : "image/jpeg", "sha256": "x"]
        if voice { media["voice"] = true }
        value["messages"] = [["from": phone, "id": id, "timestamp": "1732440000", "type": type, type: media]]
        change["value"] = value
        body["entry"] = [["id": "102290129340398", "changes": [change]]]
        return body
    }

    private func telegramMedia(id: Int, chat: Int, voice: String? = nil, photo: String? = nil, size: Int) -> [String: Any] {
        var update = WebhookClient.telegramUpdate(id: id, chat: chat, text: nil, language: "ar")
        var message = update["message"] as! [String: Any]
        message["text"] = nil
        if let voice { message["voice"] = ["file_id": voice, "file_unique_id": "u\(voice)", "duration": 42, "mime_type": "audio/ogg", "file_size": size] }
        if let photo {
            message["photo"] = [
                ["file_id": photo + "small", "file_unique_id": "s", "width": 90, "height": 60, "file_size": 10],
                ["file_id": photo, "file_unique_id": "b", "width": 1280, "height": 960, "file_size": size],
            ]
        }
        update["message"] = message
        return update
    }

    private func savedAttachments(of reference: String) throws -> [(id: String, line: String)] {
        let shown = try serve.cli(["review", "show", reference])
        XCTAssertEqual(shown.status, 0, shown.error)
        return shown.output.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: #"#[0-9]+ "#, options: .regularExpression) else { return nil }
            return (String(line[range].dropFirst().dropLast()), String(line))
        }
    }

    private func assertSavedByteForByte(_ id: String, equals data: Data) throws {
        let out = NSTemporaryDirectory() + "attachment-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let saved = try serve.cli(["attachments", "get", id, "--out", out])
        XCTAssertEqual(saved.status, 0, saved.error)
        XCTAssertEqual(FileManager.default.contents(atPath: out), data)
        XCTAssertEqual(try serve.cli(["attachments", "get", id, "--out", out]).status, 2, "an existing file is not overwritten")
    }

    func testVoiceNotesAndPhotosOverWhatsAppAreKeptOnceListedAndSavedByteForByte() async throws {
        let voice = Self.voiceNote(seconds: 42)
        let photo = Data((0..<5000).map { UInt8($0 % 251) })
        fake.hold("wavoice1", voice, type: "audio/ogg")
        fake.hold("waphoto1", photo, type: "image/jpeg")
        let phone = "962790000104"
        // At the description: a photo (kept, acknowledged, the question again), then the voice note as the answer;
        // each delivered twice, as WhatsApp does when our 200 is slow.
        let photoBody = whatsAppMedia(id: "wamid.photo1", from: phone, type: "image", mediaId: "waphoto1")
        let voiceBody = whatsAppMedia(id: "wamid.voice1", from: phone, type: "audio", mediaId: "wavoice1", voice: true)
        let reference = try await goodPractice(on: phone, replace: [10: [photoBody, photoBody, voiceBody, voiceBody]])
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM attachment"), 2, "each file once")
        let answers = try serve.read { db in try String.fetchOne(db, sql: "SELECT answers FROM submission WHERE reference = ?", arguments: [reference]) ?? "" }
        XCTAssertTrue(answers.contains("0:42"), answers)
        let replies = sentTo(phone).compactMap { ($0.json["text"] as? [String: Any])?["body"] as? String ?? ($0.json["interactive"] as? [String: Any]).map { "\($0)" } }
        XCTAssertTrue(replies.contains { $0.contains("الصورة") }, "the photo acknowledged in Arabic: \(replies)")
        let files = try savedAttachments(of: reference)
        XCTAssertEqual(files.count, 2)
        XCTAssertTrue(files.contains { $0.line.contains("voice, 0:42") && $0.line.contains("listen") }, "\(files)")
        XCTAssertTrue(files.contains { $0.line.contains("photo") && $0.line.contains("image/jpeg") }, "\(files)")
        try assertSavedByteForByte(try XCTUnwrap(files.first { $0.line.contains("voice") }).id, equals: voice)
        try assertSavedByteForByte(try XCTUnwrap(files.first { $0.line.contains("photo") }).id, equals: photo)
        // The files were fetched with the access token, once each.
        XCTAssertEqual(fake.received.filter { $0.path == "/media/wavoice1" }.count, 1)
    }

    func testVoiceNotesAndPhotosOverTelegramAreKeptOnceAndAButtonTapIsAnswered() async throws {
        let voice = Self.voiceNote(seconds: 42)
        let photo = Data((0..<3000).map { UInt8($0 % 199) })
        fake.hold("tgvoice1", voice, type: "audio/ogg")
        fake.hold("tgphoto1", photo, type: "image/jpeg")
        let chat = 777_000_111
        for (index, answer) in ArabicWhatsAppTests.answers.enumerated() {
            var bodies = [WebhookClient.telegramUpdate(id: 5000 + index, chat: chat, text: answer, language: "ar")]
            if index == 1 { bodies = [WebhookClient.telegramUpdate(id: 5000 + index, chat: chat, callbackData: "1", language: "ar")] }
            if index == 10 {
                let photoUpdate = telegramMedia(id: 6001, chat: chat, photo: "tgphoto1", size: photo.count)
                let voiceUpdate = telegramMedia(id: 6002, chat: chat, voice: "tgvoice1", size: voice.count)
                bodies = [photoUpdate, photoUpdate, voiceUpdate, voiceUpdate]
            }
            for body in bodies {
                let (status, text) = try await client.telegram(body)
                XCTAssertEqual(status, 200)
                if index == 1 {
                    // The tap on "Yes" is answered in the webhook's own response: the button stops spinning.
                    let answer = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                    XCTAssertEqual(answer?["method"] as? String, "answerCallbackQuery")
                    XCTAssertEqual(answer?["callback_query_id"] as? String, "cb5001")
                }
            }
        }
        try await serve.waitUntil("the Telegram submission") { try serve.count("SELECT COUNT(*) FROM submission WHERE channel = 'telegram'") == 1 }
        let reference = try serve.read { db in try String.fetchOne(db, sql: "SELECT reference FROM submission") ?? "" }
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM attachment"), 2, "each file once")
        let files = try savedAttachments(of: reference)
        XCTAssertTrue(files.contains { $0.line.contains("voice, 0:42") }, "\(files)")
        try assertSavedByteForByte(try XCTUnwrap(files.first { $0.line.contains("voice") }).id, equals: voice)
        try assertSavedByteForByte(try XCTUnwrap(files.first { $0.line.contains("photo") }).id, equals: photo)
        XCTAssertTrue(fake.received.contains { $0.path == "/file/bot123:tg-bot-token/files/tgphoto1.jpg" }, "the largest size was fetched")
    }

    func testTelegramSetWebhookRegistersTheURLWithTheSecretToken() throws {
        let settings = [
            "GCR_INTAKE_TELEGRAM_BOT_TOKEN": "123:tg-bot-token", "GCR_INTAKE_TELEGRAM_SECRET_TOKEN": WebhookClient.telegramToken,
            "GCR_INTAKE_TELEGRAM_API_URL": "http://127.0.0.1:\(fake.port)",
        ]
        let done = try serve.cli(["telegram", "set-webhook", "https://intake.example.org/webhooks/telegram"], extra: settings)
        XCTAssertEqual(done.status, 0, done.error)
        let request = try XCTUnwrap(fake.received.last { $0.path == "/bot123:tg-bot-token/setWebhook" })
        XCTAssertEqual(request.json["url"] as? String, "https://intake.example.org/webhooks/telegram")
        XCTAssertEqual(request.json["secret_token"] as? String, WebhookClient.telegramToken)
        XCTAssertEqual(request.json["allowed_updates"] as? [String], ["message", "callback_query"])
        var withoutSecret = settings
        withoutSecret["GCR_INTAKE_TELEGRAM_SECRET_TOKEN"] = ""
        let refused = try serve.cli(["telegram", "set-webhook", "https://intake.example.org/webhooks/telegram"], extra: withoutSecret)
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.error.contains("GCR_INTAKE_TELEGRAM_SECRET_TOKEN"), refused.error)
        XCTAssertEqual(try serve.cli(["telegram", "set-webhook", "http://intake.example.org/hook"], extra: settings).status, 2, "Telegram calls https only")
    }
}
