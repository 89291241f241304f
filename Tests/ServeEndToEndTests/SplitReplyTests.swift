import Foundation
import IntakeWebhook
import XCTest

/// A long reply goes out in parts; when a part fails, a retry sends only the parts not yet accepted.
final class SplitReplyTests: XCTestCase {
    func testA200WithABodyOverOurLimitIsStillASuccess() async throws {
        let fake = FakeProvider()
        try await fake.start()
        defer { fake.stop() }
        fake.pad(2 * 1024 * 1024)
        let client = GenericClient(replyURL: "http://127.0.0.1:\(fake.port)/gateway", secret: "s", http: HTTPClient(connectTimeoutSeconds: 2, timeoutSeconds: 10))
        let id = try client.send(ChatReply(to: "+1555", text: "hi", options: [], listButton: "Choose", id: "gcr-9", inReplyTo: nil))
        XCTAssertEqual(id, "gcr-9")
        XCTAssertEqual(fake.received.count, 1)
    }

    func testARetryOfAHalfSentReplyStartsAfterThePartsAlreadyAccepted() async throws {
        let fake = FakeProvider()
        try await fake.start()
        defer { fake.stop() }
        let client = TelegramClient(apiURL: "http://127.0.0.1:\(fake.port)", botToken: "1:t", http: HTTPClient(connectTimeoutSeconds: 2, timeoutSeconds: 5))
        let text = (1...3).map { String(repeating: "\($0)", count: 4_000) }.joined(separator: "\n")
        var reply = ChatReply(to: "4242", text: text, options: [], listButton: "Choose", id: "gcr-1", inReplyTo: nil)
        fake.failNext([(200, nil), (500, nil)])
        var sent = 0
        do {
            _ = try client.send(reply)
            XCTFail("the second part failed")
        } catch let error as PartialDeliveryError {
            sent = error.partsSent
        }
        XCTAssertEqual(sent, 1, "the first part was accepted")
        reply.partsSent = sent
        _ = try client.send(reply)
        let texts = fake.received.map { ($0.json["text"] as? String)?.first }
        XCTAssertEqual(texts, ["1", "2", "2", "3"], "part 1 once, part 2 again after its failure, then part 3")
    }
}
