import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IntakeCore
import IntakeMetrics
import IntakeNotices
@testable import IntakeStore
import IntakeWebhook
import Logging
import XCTest
import IntakePipeline

/// The webhook routes in process (HummingbirdTesting's router framework, no socket): what is refused and
/// how, and that a 200 means the message and its reply are committed.
final class WebhookRouterTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let secret = "router-secret"
    static let telegramToken = "router-telegram-token"

    var path = ""
    var database: IntakeDatabase!
    var metrics: Metrics!

    override func setUpWithError() throws {
        path = NSTemporaryDirectory() + "router-\(UUID().uuidString).sqlite"
        database = try IntakeDatabase(path: path)
        metrics = Metrics()
    }

    override func tearDown() {
        database = nil
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    private func application(bodyLimit: Int = 64 * 1024) throws -> some ApplicationProtocol {
        let catalog = try CatalogLoader.load(directory: Self.root.appendingPathComponent("prompts").path)
        let templates = try NoticeTemplates.load(directory: Self.root.appendingPathComponent("templates").path)
        let processor = InboundProcessor(database: database, engine: Engine(catalog: catalog), templates: templates)
        let settings = WebhookSettings(
            host: "127.0.0.1", port: 0, bodyLimit: bodyLimit, whatsAppVerifyToken: "verify-me", whatsAppAppSecret: Self.secret,
            telegramSecretToken: Self.telegramToken, genericSecret: Self.secret)
        return WebhookServer(
            settings: settings, writer: BatchWriter(processor: processor), catalog: catalog, database: database, metrics: metrics,
            logger: Logger(label: "router-test")
        ).application()
    }

    private static func json(_ object: [String: Any]) -> ByteBuffer {
        ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    private static func signed(_ body: ByteBuffer, _ secret: String = secret, header: String = "X-Intake-Signature") -> HTTPFields {
        var fields = HTTPFields()
        fields[HTTPField.Name(header)!] = Signature.sign(Data(body.readableBytesView), secret: secret)
        return fields
    }

    func testAGenericMessageIsCommittedWithItsReplyBeforeThe200() async throws {
        let body = Self.json(["id": "r-1", "from": "+15550142", "text": "Hello, I would like to share a good practice"])
        try await application().test(.router) { client in
            try await client.execute(uri: "/webhooks/generic", method: .post, headers: Self.signed(body), body: body) { response in
                XCTAssertEqual(response.status, .ok)
            }
        }
        let (inbound, outbox) = try await database.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbound WHERE external_id LIKE '%r-1'") ?? 0, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") ?? 0)
        }
        XCTAssertEqual(inbound, 1)
        XCTAssertGreaterThanOrEqual(outbox, 1, "the reply is queued in the same transaction")
    }

    func testRefusalsCarryTheRightStatusAndStoreNothing() async throws {
        let body = Self.json(["id": "r-2", "from": "+15550143", "text": "hello"])
        try await application(bodyLimit: 1024).test(.router) { client in
            // No signature, a malformed one, a wrong one.
            try await client.execute(uri: "/webhooks/generic", method: .post, body: body) { XCTAssertEqual($0.status, .unauthorized) }
            var malformed = HTTPFields()
            malformed[HTTPField.Name("X-Intake-Signature")!] = "sha256=zz"
            try await client.execute(uri: "/webhooks/generic", method: .post, headers: malformed, body: body) { XCTAssertEqual($0.status, .unauthorized) }
            try await client.execute(uri: "/webhooks/generic", method: .post, headers: Self.signed(body, "wrong"), body: body) {
                XCTAssertEqual($0.status, .unauthorized)
            }
            // Over the body limit; not JSON; JSON of the wrong shape.
            let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: 4096)
            try await client.execute(uri: "/webhooks/generic", method: .post, headers: Self.signed(big), body: big) {
                XCTAssertEqual($0.status, .contentTooLarge)
            }
            for broken in ["{not json", "[]", "{\"id\": 5, \"from\": \"+1\", \"text\": \"x\"}"] {
                let bad = ByteBuffer(string: broken)
                try await client.execute(uri: "/webhooks/generic", method: .post, headers: Self.signed(bad), body: bad) {
                    XCTAssertEqual($0.status, .badRequest, broken)
                }
            }
            // Telegram: the secret token header, checked before the body.
            let update = Self.json(["update_id": 1, "message": ["message_id": 1, "chat": ["id": 5, "type": "private"], "from": ["id": 5], "text": "hi"]])
            var wrongToken = HTTPFields()
            wrongToken[HTTPField.Name("X-Telegram-Bot-Api-Secret-Token")!] = "nope"
            try await client.execute(uri: "/webhooks/telegram", method: .post, headers: wrongToken, body: update) { XCTAssertEqual($0.status, .unauthorized) }
            // WhatsApp's subscription check.
            try await client.execute(uri: "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=42", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(String(buffer: response.body), "42")
            }
            try await client.execute(uri: "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=other&hub.challenge=42", method: .get) {
                XCTAssertEqual($0.status, .forbidden)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                XCTAssertTrue(text.contains("gcr_intake_webhook_rejected_total{channel=\"generic\",status=\"401\"} 3"), text)
                XCTAssertTrue(text.contains("gcr_intake_webhook_rejected_total{channel=\"generic\",status=\"413\"} 1"), text)
                XCTAssertTrue(text.contains("gcr_intake_webhook_rejected_total{channel=\"generic\",status=\"400\"} 3"), text)
            }
        }
        let stored = try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbound") ?? 0 }
        XCTAssertEqual(stored, 0, "nothing refused was stored")
    }

    func testHealthAnswersWithTheDatabase() async throws {
        try await application().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertTrue(String(buffer: response.body).contains("\"database\":\"ok\""))
            }
        }
    }
}
