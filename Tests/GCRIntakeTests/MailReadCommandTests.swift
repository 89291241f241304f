import Foundation
import XCTest

/// `gcr-intake mail read`: saved mails decoded as the ingest would, without a mailbox or a database.
final class MailReadCommandTests: XCTestCase {
    func testSavedMailsAreReadAsTheIngestWouldReadThem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mail-read-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let arabic = Data("مرحبا، أريد أن أشارك ممارسة جيدة".utf8).base64EncodedString()
        let mails = [
            "a.eml": "From: Amina <amina@example.org>\r\nSubject: =?utf-8?b?\(Data("Pratique".utf8).base64EncodedString())?=\r\nMessage-ID: <a@example.org>\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n\(arabic)\r\n",
            "b.eml": "From: mailer-daemon@example.org\r\nSubject: Undelivered Mail Returned to Sender\r\nAuto-Submitted: auto-replied\r\n\r\nsorry\r\n",
        ]
        for (name, text) in mails { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }

        let read = try CLI.run(["mail", "read", folder.path])
        XCTAssertEqual(read.status, 0, read.error)
        XCTAssertTrue(read.output.contains("from amina@example.org, subject Pratique"), read.output)
        XCTAssertTrue(read.output.contains("مرحبا، أريد أن أشارك ممارسة جيدة"), "the base64 UTF-8 body decoded: \(read.output)")
        XCTAssertTrue(read.output.contains("not answered:"), "machine mail is flagged: \(read.output)")
        XCTAssertTrue(read.output.contains("read 2 mails"), read.output)
        XCTAssertTrue(read.output.contains("1 machine mail"), read.output)

        let summary = try CLI.run(["mail", "read", "--mime-only", folder.appendingPathComponent("a.eml").path])
        XCTAssertEqual(summary.status, 0, summary.error)
        XCTAssertFalse(summary.output.contains("amina"), "only counts with --mime-only: \(summary.output)")
        XCTAssertTrue(summary.output.contains("read 1 mails"), summary.output)

        let missing = try CLI.run(["mail", "read", folder.appendingPathComponent("none.eml").path])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.error.contains("no such file"), missing.error)
    }
}
