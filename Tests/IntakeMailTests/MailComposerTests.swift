import Foundation
import IntakeMail
import XCTest

final class MailComposerTests: XCTestCase {
    let base = OutgoingMail(
        from: MailAddress(address: "intake@example.org", name: "GCR Intake"), to: "amina@example.org", subject: "Re: Bonne pratique [GCR-CV-000001]",
        body: "Question 1 sur 17\nQuel est le nom de la pratique ?", messageId: "gcr.1@example.org", inReplyTo: "c-1@example.org",
        references: ["c-0@example.org", "c-1@example.org"], date: Date(timeIntervalSince1970: 1_800_000_000))

    func testComposedReplyParsesBackWithThreadingAndAutoSubmitted() throws {
        let parsed = try MIMEParser.parse(try MailComposer.compose(base))
        XCTAssertEqual(parsed.messageId, "gcr.1@example.org")
        XCTAssertEqual(parsed.inReplyTo, ["c-1@example.org"])
        XCTAssertEqual(parsed.references, ["c-0@example.org", "c-1@example.org"])
        XCTAssertEqual(parsed.subject, "Re: Bonne pratique [GCR-CV-000001]")
        XCTAssertEqual(parsed.header("auto-submitted"), "auto-replied")
        XCTAssertEqual(parsed.text, "Question 1 sur 17\r\nQuel est le nom de la pratique ?")
        XCTAssertEqual(parsed.from, MailAddress(address: "intake@example.org", name: "GCR Intake"))
    }

    func testNonASCIISubjectIsEncodedAndComesBackWhole() throws {
        var mail = base
        mail.subject = "Re: " + String(repeating: "مدارس تعمل بالطاقة الشمسية — écoles ", count: 4)
        let data = try MailComposer.compose(mail)
        let headerBlock = String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n\r\n")[0]
        XCTAssertTrue(headerBlock.allSatisfy(\.isASCII), "headers are 7-bit")
        XCTAssertTrue(headerBlock.components(separatedBy: "\r\n").allSatisfy { $0.count <= 78 }, "lines folded")
        XCTAssertEqual(try MIMEParser.parse(data).subject, mail.subject)
    }

    func testANoticeWithAnHTMLPartIsMultipartAlternativeAndReadsAsItsText() throws {
        var mail = base
        mail.html = "<html lang=\"ar\" dir=\"rtl\"><body><p>مرحبا &amp; شكرا</p></body></html>"
        let data = try MailComposer.compose(mail)
        let raw = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(raw.contains("Content-Type: multipart/alternative; boundary=\"=_gcr_"), raw)
        XCTAssertTrue(raw.allSatisfy(\.isASCII), "both parts are base64")
        XCTAssertTrue(raw.hasSuffix("--\r\n"), "the closing boundary ends the message")
        let parsed = try MIMEParser.parse(data)
        XCTAssertEqual(parsed.text, "Question 1 sur 17\r\nQuel est le nom de la pratique ?", "the plain part is what a text reader gets")
        XCTAssertEqual(parsed.messageId, "gcr.1@example.org")
        let htmlStart = try XCTUnwrap(raw.range(of: "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"))
        let encoded = raw[htmlStart.upperBound...].prefix { $0 != "-" }.replacingOccurrences(of: "\r\n", with: "")
        XCTAssertEqual(Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) }, mail.html)
    }

    func testLineBreaksInAnyHeaderValueAreRefused() {
        for change: (inout OutgoingMail) -> Void in [
            { $0.subject = "Hello\r\nBcc: victim@example.net" }, { $0.subject = "Hello\nBcc: x@example.net" }, { $0.to = "a@example.org\r\nBcc: b@example.net" },
            { $0.inReplyTo = "x@y\r\nX-Evil: 1" }, { $0.references = ["ok@x", "bad\n@x"] }, { $0.from.name = "GCR\rIntake" }, { $0.to = "a@example.org, b@example.net" },
        ] {
            var mail = base
            change(&mail)
            XCTAssertThrowsError(try MailComposer.compose(mail)) { XCTAssertTrue($0 is HeaderInjectionError, "\($0)") }
        }
    }

    func testServerURLs() {
        XCTAssertEqual(MailServerURL("imap://127.0.0.1:1143", schemes: MailServerURL.imapSchemes)?.port, 1143)
        XCTAssertEqual(MailServerURL("imaps://mail.example.org", schemes: MailServerURL.imapSchemes)?.port, 993)
        XCTAssertEqual(MailServerURL("imaps://mail.example.org", schemes: MailServerURL.imapSchemes)?.implicitTLS, true)
        XCTAssertEqual(MailServerURL("smtp://[::1]:2525", schemes: MailServerURL.smtpSchemes)?.description, "smtp://[::1]:2525")
        for bad in ["http://example.org", "imap://", "imap://host:0", "imap://host:99999", "imap://user@host", "127.0.0.1:143", "imap://host/INBOX/x"] {
            XCTAssertNil(MailServerURL(bad, schemes: MailServerURL.imapSchemes), bad)
        }
    }
}
