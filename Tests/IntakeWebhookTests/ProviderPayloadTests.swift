import Foundation
import IntakeWebhook
import XCTest

/// Every provider payload shape we read, from fixtures shaped as the providers document them.
final class ProviderPayloadTests: XCTestCase {
    private func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures")))
    }

    private func parse(_ provider: ProviderPayload, _ name: String) throws -> WebhookBatch {
        try provider.parse(try fixture(name))
    }

    private func rejection(_ provider: ProviderPayload, _ json: String) -> WebhookRejection? {
        do {
            _ = try provider.parse(Data(json.utf8))
            return nil
        } catch {
            return error as? WebhookRejection
        }
    }

    func testWhatsAppTextMessageWithItsSenderAndName() throws {
        let batch = try parse(.whatsapp, "whatsapp-text")
        XCTAssertEqual(
            batch.messages,
            [IncomingChat(channel: .whatsapp, id: "wamid.HBgMMjU0NzExMTExMTExFQIAEhgg", from: "254711111111", name: "Amina", text: "I want to share a practice")])
    }

    func testWhatsAppReactionIsNotAMessage() throws {
        XCTAssertEqual(try parse(.whatsapp, "whatsapp-reaction").messages, [])
    }

    func testWhatsAppImageCaptionIsTheAnswerAndBothImagesAreFetched() throws {
        let messages = try parse(.whatsapp, "whatsapp-image-caption").messages
        XCTAssertEqual(messages.map(\.text), ["Solar lamps in Kakuma", ""])
        // The files are fetched from the Graph API by id (MediaFetcher): nothing is "unread" any more.
        XCTAssertEqual(messages.map(\.unreadMedia), [false, false])
        XCTAssertEqual(messages.map { $0.media?.id }, ["media1", "media2"])
        XCTAssertEqual(messages.map { $0.media?.kind }, [.photo, .photo])
        XCTAssertEqual(messages.map { $0.media?.mimeType }, ["image/jpeg", "image/jpeg"])
    }

    func testWhatsAppButtonAndListRepliesCarryTheOptionNumber() throws {
        XCTAssertEqual(try parse(.whatsapp, "whatsapp-button").messages.map(\.text), ["2", "7"])
    }

    func testWhatsAppDeliveryStatusesAreReportsNotMessages() throws {
        let batch = try parse(.whatsapp, "whatsapp-status")
        XCTAssertEqual(batch.messages, [])
        XCTAssertEqual(batch.statuses.map(\.id), ["wamid.ours1"])
        XCTAssertEqual(batch.statuses.map(\.status), ["delivered"])
    }

    func testTelegramMessageWithLanguageAndCallbackQuery() throws {
        let message = try XCTUnwrap(try parse(.telegram, "telegram-message").messages.first)
        XCTAssertEqual(message.from, "4242")
        XCTAssertEqual(message.id, "900001")
        XCTAssertEqual(message.name, "Karim B.")
        XCTAssertEqual(message.language, "fr")
        XCTAssertEqual(try parse(.telegram, "telegram-callback").messages.map(\.text), ["3"])
    }

    func testTelegramEditsAndGroupChatsAreIgnored() throws {
        XCTAssertEqual(try parse(.telegram, "telegram-edited").messages, [], "an edit is not a new answer")
        XCTAssertEqual(try parse(.telegram, "telegram-group").messages, [], "a group is not one person")
    }

    func testTelegramPhotoCaptionIsTheAnswer() throws {
        let message = try XCTUnwrap(try parse(.telegram, "telegram-photo").messages.first)
        XCTAssertEqual(message.text, "Notre atelier")
        XCTAssertFalse(message.unreadMedia)
    }

    func testGenericIdsAreScopedToTheirSender() throws {
        let message = try XCTUnwrap(try parse(.generic, "generic").messages.first)
        XCTAssertEqual(message.from, "+15550001")
        XCTAssertNotEqual(message.id, "m1")
        XCTAssertEqual(ProviderPayload.gatewayId(message.id), "m1")
        let other = try ProviderPayload.generic.parse(Data(#"{"id":"m1","from":"+15550002","text":"hi"}"#.utf8)).messages[0]
        XCTAssertNotEqual(other.id, message.id, "B's message with A's id is another message")
    }

    func testControlCharactersInIdsAndSendersAndNULInTextAreRefused() {
        XCTAssertEqual(rejection(.generic, #"{"id":"j10","from":"+15550001\u0000attacker","text":"yes"}"#)?.status, 400)
        XCTAssertEqual(rejection(.generic, #"{"id":"j10\u0000x","from":"+15550001","text":"yes"}"#)?.status, 400)
        XCTAssertEqual(rejection(.generic, #"{"id":"j10","from":"+1555\u001b[2J","text":"yes"}"#)?.status, 400)
        XCTAssertEqual(rejection(.generic, #"{"id":"j11","from":"+15550001","text":"a\u0000b"}"#)?.status, 400)
        XCTAssertEqual(rejection(.generic, #"{"id":"","from":"+15550001","text":"a"}"#)?.status, 400)
        XCTAssertEqual(rejection(.generic, "{\"id\":\"\(String(repeating: "9", count: 300))\",\"from\":\"+1\",\"text\":\"a\"}")?.status, 400)
        XCTAssertNil(rejection(.generic, #"{"id":"j12","from":"+15550001","text":"line one\nline two\tand a tab"}"#))
        XCTAssertEqual(
            rejection(.whatsapp, #"{"entry":[{"changes":[{"value":{"messages":[{"from":"2547\u0000","id":"w1","type":"text","text":{"body":"hi"}}]}}]}]}"#)?.status, 400)
    }

    func testMalformedBodiesAreRefusedWithoutCrashing() {
        for body in ["", "null", "[]", "{", #"{"entry":5}"#, #"{"update_id":"x"}"#, String(repeating: "[", count: 10_000)] {
            for provider in ProviderPayload.allCases {
                XCTAssertEqual(rejection(provider, body)?.status, 400, "\(provider) \(body.prefix(20))")
            }
        }
    }
}

/// What a red-team pass found in the payload readers.
final class ProviderPayloadRedTeamTests: XCTestCase {
    func testOneForgedMessageLeavesTheOthersOfTheSameDeliveryIntact() throws {
        let body = #"""
            {"entry":[{"changes":[{"value":{"messages":[
            {"from":"15550001","id":"wamid.A1","type":"text","text":{"body":"hello pledge"}},
            {"from":"15550002","id":"wamid.E1","type":"text","text":{"body":"hi\u0000there"}}]}}]}]}
            """#
        let batch = try ProviderPayload.whatsapp.parse(Data(body.utf8))
        XCTAssertEqual(batch.messages.map(\.id), ["wamid.A1"])
        XCTAssertEqual(batch.refused, 1)
    }

    func testATelegramChatThatDoesNotSayItIsPrivateIsNotAnswered() throws {
        let body = #"{"update_id":7,"message":{"message_id":1,"from":{"id":5,"first_name":"X"},"chat":{"id":-100125},"text":"2"}}"#
        XCTAssertEqual(try ProviderPayload.telegram.parse(Data(body.utf8)).messages, [])
    }

    func testDisplayNamesLoseControlCharactersAndAreKeptShort() throws {
        let name = "Eve\u{1B}[2J" + String(repeating: "x", count: 100_000)
        let body = try JSONSerialization.data(withJSONObject: ["id": "n1", "from": "+15550003", "text": "hi", "name": name])
        let kept = try XCTUnwrap(try ProviderPayload.generic.parse(body).messages.first?.name)
        XCTAssertFalse(kept.unicodeScalars.contains("\u{1B}"))
        XCTAssertLessThanOrEqual(kept.count, 100)
        XCTAssertTrue(kept.hasPrefix("Eve[2J"))
    }

    func testSplitPiecesFitTheProvidersCountEvenUnderPilesOfAccents() {
        let text = String(repeating: "a" + String(repeating: "\u{0301}", count: 500), count: 70) + "\n" + String(repeating: "😀", count: 3_000)
        let pieces = TextSplitter.split(text, limit: 4096)
        XCTAssertTrue(pieces.allSatisfy { $0.utf16.count <= 4096 }, "\(pieces.map(\.utf16.count))")
        XCTAssertEqual(pieces.joined().unicodeScalars.count, text.unicodeScalars.count - 1, "nothing lost but the line break between pieces")
    }
}
