import Foundation
import IntakeCore
import XCTest

/// A new contact's starting language: what the channel said, else a guess made where the message was
/// decoded (not in the writer), else the catalog's default; the same answer whether guessed early or not.
final class InboundMessageTests: XCTestCase {
    func testTheGuessMadeEarlyIsTheOneTheWriterWouldMake() {
        let catalog = TestCatalog.shared
        for text in ["مرحبا، أريد أن أشارك ممارسة جيدة", "Bonjour, je voudrais partager une bonne pratique", "hola, quiero compartir una buena práctica", "…", ""] {
            var early = InboundMessage(channel: .generic, externalId: "1", sender: "+1", text: text, receivedAt: Date())
            let late = early
            early.guessLanguage(catalog: catalog)
            XCTAssertTrue(early.languageGuessed)
            XCTAssertEqual(early.startingLanguage(catalog: catalog), late.startingLanguage(catalog: catalog), text)
        }
        var arabic = InboundMessage(channel: .generic, externalId: "2", sender: "+1", text: "مرحبا، أريد أن أشارك ممارسة جيدة", receivedAt: Date())
        arabic.guessLanguage(catalog: catalog)
        XCTAssertEqual(arabic.startingLanguage(catalog: catalog), "ar")
        var told = InboundMessage(channel: .telegram, externalId: "3", sender: "9", text: "hello", receivedAt: Date(), language: "fr")
        told.guessLanguage(catalog: catalog)
        XCTAssertFalse(told.languageGuessed, "the channel said which language: no guess")
        XCTAssertEqual(told.startingLanguage(catalog: catalog), "fr")
        let nothing = InboundMessage(channel: .generic, externalId: "4", sender: "+1", text: "…", receivedAt: Date())
        XCTAssertEqual(nothing.startingLanguage(catalog: catalog), catalog.defaultLanguage)
    }
}
