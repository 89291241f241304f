import Foundation
import IntakeCore
import XCTest

@testable import IntakeNotices

/// Notices rendered from the repository's templates/ and prompts/, compared with golden files in
/// Fixtures/golden (`<lang>/<kind>.subject|txt|html`). Set GCR_INTAKE_UPDATE_GOLDEN=1 to rewrite them
/// after a deliberate change of wording, then read the diff.
final class NoticeRenderingTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let catalog = try! CatalogLoader.load(directory: root.appendingPathComponent("prompts").path)
    static let templates = try! NoticeTemplates.load(directory: root.appendingPathComponent("templates").path)
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/golden")

    let renderer = NoticeRenderer(catalog: catalog, templates: templates)

    /// A pledge as a contributor sent it: choices, countries, a number, a multi-line text with markup in it.
    func submission(language: String) -> NoticeSubmission {
        NoticeSubmission(
            reference: "GCR-PL-000042", form: "pledge",
            answers: [
                "pledge_title": .text("Jobs for refugee youth <in> Chad & Cameroon"), "submitting_entity": .text("Acme Solar Ltd"),
                "entity_type": .text("private_sector"), "is_joint": .text("no"),
                "description": .text("We will hire and train 200 young refugees.\nHalf of them women."), "gcr_objectives": .list(["ease_pressure_on_hosts", "refugee_self_reliance"]),
                "areas": .list(["jobs_livelihoods"]), "support_type": .list(["financial", "technical"]), "amount_usd": .number(250_000),
                "host_countries": .list(["TD", "CM"]), "forum": .text("grf_2023"), "status": .text("planned"),
                "contact_email": .text("ops@acme.example.org"), "consent_publish": .text("yes"),
            ], channel: .whatsapp, language: language)
    }

    func notes(_ kind: NoticeKind) -> String? {
        switch kind {
        case .rejected: return "Outside the scope of the GCR: please see the <guidance>."
        case .changesRequested: return "Please give the number of people reached."
        case .approved: return nil
        default: return nil
        }
    }

    func testEveryNoticeMatchesItsGoldenFileInEveryLanguage() throws {
        let update = ProcessInfo.processInfo.environment["GCR_INTAKE_UPDATE_GOLDEN"] == "1"
        var compared = 0
        for language in ["en", "fr", "es", "ar"] {
            for kind in NoticeKind.allCases where kind != .digest {
                let notice = renderer.render(kind, submission: submission(language: language), note: notes(kind))
                for (part, text) in [("subject", notice.subject), ("txt", notice.text), ("html", notice.html)] {
                    let file = Self.golden.appendingPathComponent("\(language)/\(kind.rawValue).\(part)")
                    if update {
                        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                        try (text + "\n").write(to: file, atomically: true, encoding: .utf8)
                    }
                    let expected = try String(contentsOf: file, encoding: .utf8)
                    XCTAssertEqual(text + "\n", expected, "\(language)/\(kind.rawValue).\(part) differs from its golden file")
                    compared += 1
                }
            }
        }
        XCTAssertEqual(compared, 48)
    }

    func testDigestMatchesItsGoldenFile() throws {
        let items = [
            DigestItem(reference: "GCR-PR-000001", kind: "good_practice", title: "Solar schools in Kakuma", status: .submitted, days: 9, assignedTo: "ana"),
            DigestItem(reference: "GCR-PL-000042", kind: "pledge", title: "Jobs for refugee youth", status: .submitted, days: 2, assignedTo: nil),
        ]
        for language in ["en", "fr", "es", "ar"] {
            let notice = renderer.renderDigest(items, language: language)
            let file = Self.golden.appendingPathComponent("\(language)/digest.txt")
            if ProcessInfo.processInfo.environment["GCR_INTAKE_UPDATE_GOLDEN"] == "1" { try (notice.text + "\n").write(to: file, atomically: true, encoding: .utf8) }
            XCTAssertEqual(notice.text + "\n", try String(contentsOf: file, encoding: .utf8))
            XCTAssertTrue(notice.html.contains("GCR-PR-000001") && notice.html.contains("Solar schools in Kakuma"))
        }
        XCTAssertTrue(renderer.renderDigest([], language: "en").text.contains("Nothing is waiting."))
    }

    func testContributorTextIsEscapedInHTMLAndVerbatimInText() {
        let received = renderer.render(.received, submission: submission(language: "en"), note: nil)
        XCTAssertTrue(received.html.contains("Jobs for refugee youth &lt;in&gt; Chad &amp; Cameroon"), received.html)
        XCTAssertTrue(received.text.contains("1. Pledge title: Jobs for refugee youth <in> Chad & Cameroon"), received.text)
        let rejected = renderer.render(.rejected, submission: submission(language: "en"), note: "see <b>this</b> & that")
        XCTAssertTrue(rejected.html.contains("see &lt;b&gt;this&lt;/b&gt; &amp; that"), rejected.html)
        XCTAssertFalse(rejected.html.contains("<b>this</b>"))
        XCTAssertTrue(rejected.text.contains("see <b>this</b> & that"), rejected.text)
    }

    func testHTMLPartDeclaresLanguageAndDirection() {
        let notice = renderer.render(.received, submission: submission(language: "fr"), note: nil)
        XCTAssertTrue(notice.html.contains("<html lang=\"fr\" dir=\"ltr\">"), notice.html)
        let arabic = renderer.render(.received, submission: submission(language: "ar"), note: nil)
        XCTAssertTrue(arabic.html.contains("<html lang=\"ar\" dir=\"rtl\">") && arabic.html.contains("<body dir=\"rtl\""), arabic.html)
        // References and numbers stay readable inside right-to-left text: isolated, in Western digits.
        XCTAssertTrue(arabic.html.contains("<bdi>GCR-PL-000042</bdi>"), arabic.html)
        XCTAssertTrue(arabic.text.contains("250000") && arabic.text.contains("GCR-PL-000042"), arabic.text)
        XCTAssertTrue(arabic.subject.hasPrefix("استلمنا"), arabic.subject)
    }

    func testAnUnknownLanguageFallsBackToTheDefault() {
        let notice = renderer.render(.approved, submission: submission(language: "xx"), note: nil)
        XCTAssertEqual(notice, renderer.render(.approved, submission: submission(language: "en"), note: nil))
    }

    func testAMissingTemplateStopsLoadingAndNamesTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("templates"), to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("fr/approved.html.mustache"))
        XCTAssertThrowsError(try NoticeTemplates.load(directory: folder.path)) { error in
            XCTAssertTrue("\(error)".hasSuffix("fr/approved.html.mustache: missing"), "\(error)")
        }
    }
}
