import Foundation
import IntakeCore
import IntakeMail
import XCTest

/// What a mail's subject says of the thread it belongs to, and what our reply repeats of it.
final class MailThreadTests: XCTestCase {
    func testOurTagIsFoundAnywhereInTheSubject() {
        XCTAssertEqual(MailThread.tag(inSubject: "Re: Bonne pratique [GCR-CV-000012]"), "GCR-CV-000012")
        XCTAssertEqual(MailThread.tag(inSubject: "[GCR-PR-000042] RE: my pledge"), "GCR-PR-000042")
        XCTAssertEqual(MailThread.tag(inSubject: "Fwd: [GCR-PL-000001] and [GCR-PR-000002]"), "GCR-PL-000001", "the first tag")
    }

    func testWhatIsNotOurTagIsNoTag() {
        for subject in ["Re: hello", "[GCR-CV-12]", "[GCR-cv-000012]", "GCR-CV-000012", "[GCR-CVX-000012]", "[GCR-CV-0000123]", "", "[GCR-"] {
            XCTAssertNil(MailThread.tag(inSubject: subject), subject)
        }
    }

    func testTheReplySubjectLosesPrefixesTagsAndLineBreaks() {
        let cases: [(String?, String?)] = [
            ("Re: Bonne pratique [GCR-CV-000001]", "Bonne pratique"),
            ("RE: Fwd: TR: rv: AW: Engagement", "Engagement"),
            ("Re:Re:  Écoles à Nairobi  ", "Écoles à Nairobi"),
            ("Pledge\nupdate\rfor 2025", "Pledge update for 2025"),
            ("[GCR-PR-000042]", nil),
            ("Re: ", nil),
            (nil, nil),
            ("Recent progress: schools", "Recent progress: schools"),
            ("ممارسة جيدة [GCR-CV-000007]", "ممارسة جيدة"),
        ]
        for (subject, expected) in cases {
            XCTAssertEqual(MailThread.replySubject(subject), expected, subject ?? "nil")
        }
    }

    func testAMailIsAnnotatedWithItsThreadWhenRead() throws {
        let raw = Data(
            "From: Amina <amina@example.org>\r\nTo: intake@example.org\r\nSubject: Re: Bonne pratique [GCR-CV-000003]\r\nMessage-ID: <r1@example.org>\r\nIn-Reply-To: <ours@gcr.example>\r\n\r\nOui\r\n"
                .utf8)
        let message = MailInbound(ourAddresses: ["intake@example.org"]).message(from: raw, receivedAt: Date())
        XCTAssertEqual(message.threadTag, "GCR-CV-000003")
        XCTAssertEqual(message.replySubject, "Bonne pratique")
        XCTAssertEqual(message.references, ["ours@gcr.example"])
    }
}
