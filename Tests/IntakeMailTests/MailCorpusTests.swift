import Foundation
import IntakeCore
import IntakeMail
import XCTest

/// Every file in Fixtures/mail is parsed; each has its expected reading (the text the engine will
/// see after quoted history is stripped, the sender, and whether it may be answered).
final class MailCorpusTests: XCTestCase {
    struct Expected {
        var text: String?
        var from: String? = nil
        var subject: String? = nil
        var noReply: Bool = false
        var attachments: Int = 0
        var warned: Bool = false
    }

    static let expectations: [String: Expected] = [
        "plain-utf8.eml": Expected(text: "Bonjour, je voudrais partager une bonne pratique", from: "amina@example.org", subject: "Hello"),
        "french-iso-8859-1.eml": Expected(text: "Bonjour, je voudrais partager une bonne pratique à propos de l'école.", from: "amelie@example.org", subject: "Bonne pratique à partager"),
        "arabic-windows-1256.eml": Expected(text: "مرحبا، أريد مشاركة ممارسة جيدة عن المدارس", subject: "ممارسة جيدة"),
        "arabic-iso-8859-6-base64.eml": Expected(text: "مرحبا بكم"),
        "arabic-utf8-base64.eml": Expected(text: "مرحبا، أريد مشاركة ممارسة جيدة عن المدارس", subject: "مدارس"),
        "html-only.eml": Expected(text: "Bonjour !\n\nJe voudrais partager une bonne pratique & un engagement.\n\n- un\n\n- deux"),
        "alternative.eml": Expected(text: "Plain version wins"),
        "nested-multipart.eml": Expected(text: "Nested plain école", attachments: 2),
        "attachment-rfc2047-filename.eml": Expected(text: "See attached.", attachments: 1),
        "missing-charset.eml": Expected(text: "Réponse sans charset déclaré"),
        "unknown-charset.eml": Expected(text: "Café crème", warned: true),
        "8bit-headers.eml": Expected(text: "Kenya, Ouganda", from: "amine@example.org", subject: "Réponse à la question"),
        "bad-boundary.eml": Expected(text: nil, warned: true),
        "empty-body.eml": Expected(text: ""),
        "headers-only.eml": Expected(text: nil, from: "amina@example.org"),
        "auto-submitted.eml": Expected(text: "I am away until Monday.", noReply: true),
        "x-autoreply.eml": Expected(text: "Je suis absente.", noReply: true),
        "precedence-bulk.eml": Expected(text: "News.", noReply: true),
        "mailing-list.eml": Expected(text: "Digest.", noReply: true),
        "bounce-multipart-report.eml": Expected(text: "Delivery failed.", from: "MAILER-DAEMON@example.org", noReply: true, attachments: 2),
        "from-ourselves.eml": Expected(text: "Question 1 of 18", noReply: true),
        "postmaster.eml": Expected(text: "Notice.", noReply: true),
        "reply-gmail-quote.eml": Expected(text: "6"),
        "reply-outlook-fr.eml": Expected(text: "Kenya et Ouganda\n\nCordialement,"),
        "reply-outlook-en-no-signature.eml": Expected(text: "Chad, Niger"),
        "reply-html-blockquote.eml": Expected(text: "Amina Yusuf"),
        "spanish-windows-1252.eml": Expected(text: "“Escuelas solares” en Perú €", subject: "Práctica"),
        "subject-with-encoded-crlf.eml": Expected(text: "1"),
        "missing-from.eml": Expected(text: "Hello", noReply: true),
        "bare-lf-line-endings.eml": Expected(text: "Line one\nLine two"),
        "binary-garbage.eml": Expected(text: nil, noReply: true),
        "no-message-id.eml": Expected(text: "Hello without an id"),
        // Found by fuzz-mime: an empty multipart/alternative walked itself until the stack overflowed.
        "fuzz-empty-multipart-alternative.eml": Expected(text: "", noReply: true, warned: true),
        "qp-soft-breaks.eml": Expected(text: "Nous avons formé 40 enseignants réfugiés et ouvert 3 classes dans le village d’accueil."),
    ]

    func testEveryMessageOfTheCorpusIsReadAsExpected() throws {
        let dir = try XCTUnwrap(Bundle.module.resourceURL).appendingPathComponent("Fixtures/mail")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".eml") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 25)
        XCTAssertEqual(Set(files), Set(Self.expectations.keys), "every fixture has an expectation")
        for file in files {
            let expected = try XCTUnwrap(Self.expectations[file])
            let mail = try MIMEParser.parse(try Data(contentsOf: dir.appendingPathComponent(file)), attachmentLimit: 10 * 1024 * 1024)
            if let text = expected.text { XCTAssertEqual(ReplyStripper.strip(mail.text), text, file) }
            if let from = expected.from { XCTAssertEqual(mail.from?.address, from, file) }
            if let subject = expected.subject { XCTAssertEqual(mail.subject, subject, file) }
            XCTAssertEqual(AutoReplyFilter.reason(mail, ourAddresses: ["intake@example.org"]) != nil, expected.noReply, file)
            XCTAssertEqual(mail.attachments.count, expected.attachments, file)
            XCTAssertEqual(!mail.warnings.isEmpty, expected.warned, "\(file): \(mail.warnings)")
        }
    }

    func testThreadingHeadersAndDisplayNamesAreDecoded() throws {
        let mail = try parse("reply-gmail-quote.eml")
        XCTAssertEqual(mail.messageId, "gmailreply@example.org")
        XCTAssertEqual(mail.inReplyTo, ["gcr.abc@example.org"])
        XCTAssertEqual(mail.references, ["gcr.first@example.org", "gcr.abc@example.org"])
        XCTAssertEqual(try parse("french-iso-8859-1.eml").from?.name, "Amélie Dupré")
        XCTAssertEqual(try parse("8bit-headers.eml").from?.name, "Aminé Ñúñez")
    }

    func testAttachmentsKeepNameTypeAndDecodedBytes() throws {
        let mail = try parse("nested-multipart.eml")
        let pdf = try XCTUnwrap(mail.attachments.first { $0.contentType == "application/pdf" })
        XCTAssertEqual(pdf.filename, "report.pdf")
        XCTAssertEqual(pdf.data, Data(String(repeating: "%PDF-1.4 fake pdf bytes\n", count: 20).utf8))
        XCTAssertEqual(try parse("attachment-rfc2047-filename.eml").attachments.first?.filename, "rapport école.pdf")
    }

    func testAttachmentOverTheLimitIsCountedButNotKept() throws {
        var raw = "From: amina@example.org\r\nMessage-ID: <big@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n"
        raw += "--B\r\nContent-Type: text/plain\r\n\r\nHere is the video.\r\n--B\r\nContent-Type: video/mp4\r\nContent-Disposition: attachment; filename=\"v.mp4\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        raw += Data(count: 11 * 1024 * 1024).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        raw += "\r\n--B--\r\n"
        let mail = try MIMEParser.parse(Data(raw.utf8), attachmentLimit: 10 * 1024 * 1024)
        XCTAssertEqual(mail.text.trimmingCharacters(in: .whitespacesAndNewlines), "Here is the video.")
        let video = try XCTUnwrap(mail.attachments.first)
        XCTAssertTrue(video.truncated)
        XCTAssertEqual(video.size, 11 * 1024 * 1024)
        XCTAssertEqual(video.data.count, 0)
    }

    func testPartsNestedDeeperThanAnyMailProgramWritesAreNotReadButNothingCrashes() throws {
        var mail = "From: a@example.org\r\nMessage-ID: <deep@example.org>\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n"
        for level in 1..<200 { mail += "--b\(level - 1)\r\nContent-Type: multipart/mixed; boundary=b\(level)\r\n\r\n" }
        mail += "--b199\r\nContent-Type: text/plain\r\n\r\ndeep text\r\n"
        let parsed = try MIMEParser.parse(Data(mail.utf8), attachmentLimit: 1024)
        XCTAssertEqual(parsed.from?.address, "a@example.org")
        XCTAssertFalse(parsed.text.contains("deep text"))
        XCTAssertFalse(parsed.warnings.isEmpty, "\(parsed.warnings)")
    }

    func testAnAutoReplysReasonNeverQuotesItsHeaders() throws {
        let raw = "From: other@example.org\r\nAuto-Submitted: auto-replied; victim@example.com +447700900123 \"secret\"\r\n\r\nAway\r\n"
        let mail = try MIMEParser.parse(Data(raw.utf8), attachmentLimit: 1024)
        XCTAssertEqual(AutoReplyFilter.reason(mail, ourAddresses: []), "Auto-Submitted header")
    }

    func testEmptyInputIsAParseError() {
        XCTAssertThrowsError(try MIMEParser.parse(Data()))
    }

    private func parse(_ name: String) throws -> ParsedMail {
        let url = try XCTUnwrap(Bundle.module.resourceURL).appendingPathComponent("Fixtures/mail/\(name)")
        return try MIMEParser.parse(try Data(contentsOf: url))
    }
}
