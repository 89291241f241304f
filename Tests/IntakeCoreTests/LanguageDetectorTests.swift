import IntakeCore
import XCTest

final class LanguageDetectorTests: XCTestCase {
    func testFirstMessagesAreReadInTheirLanguage() {
        let catalog = TestCatalog.shared
        XCTAssertEqual(LanguageDetector.detect("Bonjour, je voudrais partager une bonne pratique", catalog: catalog), "fr")
        XCTAssertEqual(LanguageDetector.detect("Hello, I would like to share a good practice", catalog: catalog), "en")
        XCTAssertEqual(LanguageDetector.detect("Salut ! Nous avons un engagement", catalog: catalog), "fr")
        XCTAssertNil(LanguageDetector.detect("1", catalog: catalog), "nothing to go on")
        XCTAssertNil(LanguageDetector.detect("", catalog: catalog))
        XCTAssertNil(LanguageDetector.detect("Kenya", catalog: catalog))
    }
}
