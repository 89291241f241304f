import Foundation
import IntakeCore
@testable import IntakeWeb
@testable import IntakeWebhook
import XCTest

/// The small pieces behind the web chat and chat media: visitor ids, rate limits, Ogg lengths, media
/// references in provider payloads, what a download may be, and WhatsApp template parameters.
final class ChatPiecesTests: XCTestCase {
    func testOnlyVisitorCookiesWeSignedAreAcceptedAndTheirAddressIsADigest() throws {
        let key = Data(repeating: 7, count: 32)
        let visitor = ChatVisitor.mint()
        XCTAssertNotEqual(visitor, ChatVisitor.mint())
        let cookie = visitor.cookie(key: key)
        XCTAssertEqual(ChatVisitor(cookie: cookie, key: key), visitor)
        XCTAssertNil(ChatVisitor(cookie: cookie, key: Data(repeating: 8, count: 32)), "another database's key")
        XCTAssertEqual(visitor.address.count, 32)
        XCTAssertTrue(visitor.address.hasPrefix("w"))
        XCTAssertFalse(visitor.address.contains(visitor.secret.prefix(8)), "the address does not carry the secret")
        let chosen = String(repeating: "0", count: 32)
        var tampered = Array(cookie)
        tampered[40] = tampered[40] == "a" ? "b" : "a"
        for bad in [nil, "", chosen, chosen + "." + String(repeating: "0", count: 32), String(tampered), visitor.secret, cookie.uppercased(), cookie + "0"] {
            XCTAssertNil(ChatVisitor(cookie: bad, key: key), "\(bad ?? "nil")")
        }
    }

    func testAtMostSoManyPollsOfOneKeyAtOnce() {
        let gate = ConcurrencyGate()
        XCTAssertEqual((0..<4).map { _ in gate.enter("v", limit: 3) }, [true, true, true, false])
        XCTAssertTrue(gate.enter("w", limit: 3))
        gate.leave("v")
        XCTAssertTrue(gate.enter("v", limit: 3))
        for _ in 0..<3 { gate.leave("v") }
        gate.leave("w")
        XCTAssertEqual(gate.activeKeys, 0, "nothing kept for keys with no request in flight")
    }

    func testTheRateLimiterAllowsABurstThenSaysHowLongToWaitAndForgetsIdleKeys() {
        let limiter = RateLimiter(perMinute: 6, burst: 3, maxKeys: 10)
        let start = Date(timeIntervalSince1970: 1_000)
        XCTAssertEqual((0..<3).map { _ in limiter.take("a", now: start) }, [nil, nil, nil])
        XCTAssertEqual(limiter.take("a", now: start), 10, "one token every 10 seconds")
        XCTAssertNil(limiter.take("b", now: start), "another key has its own bucket")
        XCTAssertNil(limiter.take("a", now: start.addingTimeInterval(10)))
        for index in 0..<100 { _ = limiter.take("key\(index)", now: start.addingTimeInterval(Double(index))) }
        XCTAssertLessThanOrEqual(limiter.trackedKeys, 10)
    }

    func testAnOggOpusRecordingsLengthIsReadAndAnythingElseIsNot() {
        XCTAssertEqual(OggDuration.seconds(Self.voiceNote(seconds: 42)), 42)
        XCTAssertEqual(OggDuration.seconds(Self.voiceNote(seconds: 0)), nil, "no audio after the pre-skip")
        XCTAssertNil(OggDuration.seconds(Data("not an ogg file at all, just text that is long enough to look".utf8)))
        XCTAssertNil(OggDuration.seconds(Self.voiceNote(seconds: 42).prefix(40)))
        var huge = Self.voiceNote(seconds: 1)
        huge.replaceSubrange(huge.count - 120 - 2 - 27 + 6..<huge.count - 120 - 2 - 27 + 14, with: [UInt8](repeating: 0xFF, count: 8))
        XCTAssertNil(OggDuration.seconds(huge), "an end-of-stream granule of -1 is no length")
    }

    func testMediaInProviderPayloadsBecomeReferencesAndStickersAreRefused() throws {
        let voice: [String: Any] = [
            "update_id": 9, "message": ["message_id": 1, "chat": ["id": 5, "type": "private"], "voice": ["file_id": "AwACAg-1_x", "duration": 42, "mime_type": "audio/ogg", "file_size": 9000]],
        ]
        let parsed = try ProviderPayload.telegram.parse(try JSONSerialization.data(withJSONObject: voice)).messages
        XCTAssertEqual(parsed.first?.media, MediaReference(provider: .telegram, id: "AwACAg-1_x", kind: .voice, mimeType: "audio/ogg", durationSeconds: 42, size: 9000))
        XCTAssertEqual(parsed.first?.unreadMedia, false)
        let photo: [String: Any] = [
            "update_id": 10,
            "message": [
                "message_id": 2, "chat": ["id": 5, "type": "private"],
                "photo": [["file_id": "small", "file_size": 10], ["file_id": "large", "file_size": 900], ["file_id": "medium", "file_size": 100]],
            ],
        ]
        XCTAssertEqual(try ProviderPayload.telegram.parse(try JSONSerialization.data(withJSONObject: photo)).messages.first?.media?.id, "large")
        let sticker: [String: Any] = ["update_id": 11, "message": ["message_id": 3, "chat": ["id": 5, "type": "private"], "sticker": ["file_id": "st1"]]]
        XCTAssertEqual(try ProviderPayload.telegram.parse(try JSONSerialization.data(withJSONObject: sticker)).messages.first?.media?.notAllowed, true)
        let unsafe: [String: Any] = ["update_id": 12, "message": ["message_id": 4, "chat": ["id": 5, "type": "private"], "voice": ["file_id": "../../etc/passwd"]]]
        let refused = try ProviderPayload.telegram.parse(try JSONSerialization.data(withJSONObject: unsafe)).messages.first
        XCTAssertNil(refused?.media, "an id that is not a plain token is not fetched")
        XCTAssertEqual(refused?.unreadMedia, true)
        // A tap on a button: its callback query is answered in the response.
        let tap: [String: Any] = [
            "update_id": 13,
            "callback_query": ["id": "4382bfdwdsb323b2d9", "from": ["id": 5], "message": ["message_id": 4, "chat": ["id": 5, "type": "private"]], "data": "2"],
        ]
        let batch = try ProviderPayload.telegram.parse(try JSONSerialization.data(withJSONObject: tap))
        XCTAssertEqual(batch.callbackQueryId, "4382bfdwdsb323b2d9")
        XCTAssertEqual(batch.messages.first?.text, "2")
    }

    func testWhatADownloadMayBe() {
        for type in ["audio/ogg; codecs=opus", "audio/mpeg", "image/jpeg", "image/png", "video/mp4", "application/pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"] {
            XCTAssertTrue(MediaFetcher.isAllowed(type), type)
        }
        for type in ["text/html", "application/x-msdownload", "image/svg+xml", "application/octet-stream", ""] { XCTAssertFalse(MediaFetcher.isAllowed(type), type) }
        XCTAssertTrue(MediaFetcher.isSafePath("voice/file_12.oga"))
        for path in ["../secret", "/etc/passwd", "voice/../../x", "voice/a?b=c", "http://evil/x", ""] { XCTAssertFalse(MediaFetcher.isSafePath(path), path) }
        XCTAssertEqual(MediaFetcher.safeName("../../etc/passwd"), "passwd")
        XCTAssertEqual(MediaFetcher.safeName("report\u{0}\u{7}.pdf"), "report.pdf")
        XCTAssertEqual(MediaFetcher.safeName(String(repeating: "x", count: 10_000) + ".pdf")?.count, 120)
        XCTAssertEqual(MediaFetcher.safeName(String(repeating: "x", count: 10_000) + ".pdf")?.hasSuffix(".pdf"), true)
        for empty in ["..", ".", "/", "", " \u{1}"] { XCTAssertNil(MediaFetcher.safeName(empty), empty) }
    }

    func testTheWhatsAppTokenGoesOnlyToMetasMediaHostsOverHTTPSOrToTheAPIsOwnHost() {
        let api = "https://graph.facebook.com/v21.0"
        func may(_ url: String, api: String = "https://graph.facebook.com/v21.0") -> Bool {
            URLComponents(string: url).map { MediaFetcher.mayCarryToken($0, api: api) } ?? false
        }
        XCTAssertTrue(may("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1"))
        XCTAssertTrue(may("https://graph.facebook.com/v21.0/media"))
        XCTAssertFalse(may("http://lookaside.fbsbx.com/x"), "not over plain http")
        XCTAssertFalse(may("https://evil.example/x"))
        XCTAssertFalse(may("https://fbsbx.com.evil.example/x"))
        XCTAssertTrue(may("http://127.0.0.1:9999/media/1", api: "http://127.0.0.1:9999/v21.0"), "a test's fake API")
        XCTAssertFalse(may("http://127.0.0.1:9999/media/1", api: api))
    }

    func testTemplateParametersAreSingleLinesAndEveryKindInTheRepositoryHasATemplate() throws {
        let templates = try WhatsAppTemplates.load(directory: CatalogFiles.prompts)
        for kind in ["received", "approved", "rejected", "changes_requested", "reminder", "draft_expired", "pledge_update_invite"] {
            XCTAssertNotNil(templates.templates[kind], kind)
        }
        let message = try XCTUnwrap(templates.message(kind: "changes_requested", language: "ar", values: ["reference": "GCR-PR-000001", "note": "Line one\n\tline   two"]))
        XCTAssertEqual(message.name, "gcr_changes_requested")
        XCTAssertEqual(message.language, "ar")
        XCTAssertEqual(message.parameters, ["GCR-PR-000001", "Line one line two"])
        XCTAssertEqual(templates.message(kind: "approved", language: "fr", values: [:])?.parameters, ["-", "-"], "an empty parameter is refused by WhatsApp")
        XCTAssertEqual(templates.message(kind: "approved", language: "en", values: ["reference": "R", "title": String(repeating: "é", count: 500)])?.parameters[1].count, 200)
        XCTAssertNil(templates.message(kind: "digest", language: "en", values: [:]))
        XCTAssertEqual(try WhatsAppTemplates.load(directory: "/nonexistent"), WhatsAppTemplates(), "no file: free text only")
    }

    /// The same Ogg Opus shape as the end-to-end tests build (pre-skip 312).
    static func voiceNote(seconds: Int) -> Data {
        func page(granule: UInt64, sequence: UInt32, packet: [UInt8]) -> [UInt8] {
            var bytes = Array("OggS".utf8) + [0, sequence == 0 ? 2 : 4]
            bytes += withUnsafeBytes(of: granule.littleEndian, Array.init)
            bytes += [1, 0, 0, 0] + withUnsafeBytes(of: sequence.littleEndian, Array.init) + [0, 0, 0, 0]
            bytes += [1, UInt8(packet.count)] + packet
            return bytes
        }
        let head = Array("OpusHead".utf8) + [1, 1, 0x38, 0x01, 0x80, 0xBB, 0, 0, 0, 0, 0]
        return Data(page(granule: 0, sequence: 0, packet: head) + page(granule: 312 + UInt64(seconds) * 48_000, sequence: 1, packet: [UInt8](repeating: 0xFC, count: 120)))
    }
}

/// The repository's prompts folder, from this file's place.
enum CatalogFiles {
    static let prompts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("prompts").path
}
