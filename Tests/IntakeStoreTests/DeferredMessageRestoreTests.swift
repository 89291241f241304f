import Foundation
import IntakeCore
@testable import IntakePipeline
@testable import IntakeStore
import XCTest

/// A message kept to answer later comes back as its channel handed it over.
final class DeferredMessageRestoreTests: XCTestCase {
    private func inbound(_ channel: Channel) -> InboundRecord {
        InboundRecord(
            id: 7, channel: channel, externalId: "m1@example.org", contactId: 3, conversationId: nil, sender: "amina@example.org", threadKey: nil,
            rawSize: 10, text: "Oui", receivedAt: Date(timeIntervalSince1970: 1_800_000_000), processedAt: nil, error: "waiting", raw: nil,
            outcome: .deferred, messageIds: nil)
    }

    func testAnEmailKeptBeforeItsThreadingWasReadGetsItBack() throws {
        // As rows were written before replySubject and threadTag were kept.
        let saved = #"{"text":"Oui","subject":"Re: Bonne pratique [GCR-CV-000003]","references":["ours@gcr.example"],"unreadMedia":false}"#
        let message = try JSONDecoder().decode(DeferredMessage.self, from: Data(saved.utf8)).message(inbound(.email))
        XCTAssertEqual(message.replySubject, "Bonne pratique")
        XCTAssertEqual(message.threadTag, "GCR-CV-000003")
        XCTAssertEqual(message.references, ["ours@gcr.example"])
    }

    func testThreadingKeptWithTheMessageComesBackAsItWas() throws {
        var original = InboundMessage(channel: .email, externalId: "m1@example.org", sender: "amina@example.org", text: "Oui", receivedAt: Date())
        original.subject = "Re: Écoles [GCR-PR-000042]"
        original.replySubject = "Écoles"
        original.threadTag = "GCR-PR-000042"
        let saved = try JSONEncoder().encode(DeferredMessage(original))
        let message = try JSONDecoder().decode(DeferredMessage.self, from: saved).message(inbound(.email))
        XCTAssertEqual(message.replySubject, "Écoles")
        XCTAssertEqual(message.threadTag, "GCR-PR-000042")
        XCTAssertEqual(message.subject, original.subject)
    }

    func testAChatMessageHasNoMailThreading() throws {
        let saved = #"{"text":"Hello","subject":"[GCR-CV-000003]","references":[],"unreadMedia":false}"#
        let message = try JSONDecoder().decode(DeferredMessage.self, from: Data(saved.utf8)).message(inbound(.whatsapp))
        XCTAssertNil(message.threadTag)
        XCTAssertNil(message.replySubject)
    }
}
