import Foundation
import XCTest

/// Everything a contributor reads comes from prompts/: the code that talks to them holds no sentence.
final class NoUserTextInSourceTests: XCTestCase {
    func testConversationAndValidationCodeHoldNoSentences() throws {
        let sources = TestCatalog.root.appendingPathComponent("Sources/IntakeCore")
        let literal = try NSRegularExpression(pattern: #""((?:[^"\\\n]|\\.)*)""#)
        let words = try NSRegularExpression(pattern: #"\p{L}{2,}[ ,!?:;]+\p{L}{2,}"#)
        var offenders: [String] = []
        var scanned = 0
        // Text/ is left out: it recognises what other mail programs write ("On … wrote:"), it says nothing itself.
        for folder in ["Conversation", "Validation"] {
            let dir = sources.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".swift") {
                scanned += 1
                let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
                for (number, line) in text.components(separatedBy: "\n").enumerated() {
                    let code = line.components(separatedBy: "//").first ?? line  // comments may quote examples
                    for match in literal.matches(in: code, range: NSRange(code.startIndex..., in: code)) {
                        let content = (code as NSString).substring(with: match.range(at: 1))
                        if words.firstMatch(in: content, range: NSRange(content.startIndex..., in: content)) != nil {
                            offenders.append("\(folder)/\(name):\(number + 1): \(content)")
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(scanned, 8)
        XCTAssertEqual(offenders, [], "user-facing text belongs in prompts/")
    }
}
