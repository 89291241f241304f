import Foundation
import GRDB
import IntakeMail
import IntakeStore
import XCTest

/// A contributor completes a good practice by replying to each bot email, quoted history left in.
final class EmailConversationTests: XCTestCase {
    var serve: ServeProcess!

    override func setUpWithError() throws {
        try MailServers.ready()
        serve = ServeProcess(databasePath: NSTemporaryDirectory() + "mail-conv-\(UUID().uuidString).sqlite", mail: true)
        try serve.start()
    }

    override func tearDownWithError() throws {
        serve.stop()
        serve.removeFiles()
    }

    func testGoodPracticeCompletedByReplyingToEachEmail() throws {
        let answers = [
            "oui", "Solar schools in Kakuma", "Amina Yusuf", "6", "skip", "Kenya, Uganda", "skip", "1,2", "2",
            "We installed solar panels in 12 camp schools so that pupils can study after dark.", "skip", "skip", "UNHCR, Solar Sister",
            "2019", "ongoing", "3,000 pupils study in the evening; exam results rose by 20%.", "skip", "yes", "ok",
        ]
        var previousId = "c-0@example.org"
        try MailServers.send(
            mail(id: previousId, subject: "Bonne pratique", inReplyTo: nil, references: [], body: "Bonjour, je voudrais partager une bonne pratique"),
            from: MailServers.contributor, to: MailServers.service)
        var botIds: [String] = []
        for (index, answer) in answers.enumerated() {
            let inbox = try MailServers.waitForMessages(of: MailServers.contributor, count: index + 1)
            XCTAssertEqual(inbox.count, index + 1, "exactly one reply per message so far")
            let reply = try MIMEParser.parse(inbox[index].data)
            let replyId = try XCTUnwrap(reply.messageId)
            XCTAssertEqual(reply.inReplyTo, [previousId], "reply \(index + 1) answers the message before it")
            XCTAssertEqual(reply.references.suffix(2), botIds.suffix(1) + [previousId], "reply \(index + 1) keeps the thread")
            XCTAssertEqual(reply.header("auto-submitted"), "auto-replied")
            XCTAssertTrue(reply.subject?.hasPrefix("Re: Bonne pratique [GCR-") ?? false, reply.subject ?? "")
            if index == 0 { XCTAssertTrue(reply.text.contains("Confidentialité"), "the privacy notice comes first, in French: \(reply.text)") }
            if index == 1 { XCTAssertTrue(reply.text.contains("Question 1 sur 17"), "a French first message is answered in French: \(reply.text)") }
            botIds.append(replyId)
            previousId = "c-\(index + 1)@example.org"
            // "\r\n" is one Character in Swift: normalise before splitting, or nothing but the first line is quoted.
            let quoted = reply.text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n").map { "> " + $0 }.joined(separator: "\r\n")
            let body = answer + "\r\n\r\nOn Tue, 24 Nov 2026 at 10:00, GCR Intake <intake@example.org>\r\nwrote:\r\n" + quoted
            try MailServers.send(
                mail(id: previousId, subject: "Re: " + (reply.subject ?? ""), inReplyTo: replyId, references: reply.references + [replyId], body: body),
                from: MailServers.contributor, to: MailServers.service)
        }
        let inbox = try MailServers.waitForMessages(of: MailServers.contributor, count: answers.count + 1)
        let last = try MIMEParser.parse(try XCTUnwrap(inbox.last).data)
        let submissions = try serve.read { db in try Submission.fetchAll(db) }
        XCTAssertEqual(submissions.count, 1)
        let submission = try XCTUnwrap(submissions.first)
        XCTAssertTrue(submission.reference.hasPrefix("GCR-PR-"))
        XCTAssertTrue(last.text.contains(submission.reference), last.text)
        XCTAssertTrue(last.subject?.contains("[\(submission.reference)]") ?? false, last.subject ?? "")
        let answersStored = try submission.decodedAnswers()
        XCTAssertEqual(answersStored["title"], .text("Solar schools in Kakuma"))
        XCTAssertEqual(answersStored["countries"], .list(["KE", "UG"]))
        XCTAssertNil(answersStored["contact_email"], "not asked by email: the address is known")
        // One bot email per message sent: the greeting-with-first-question, each next question, the summary, the confirmation.
        try serve.waitUntil("every reply sent") { try serve.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL") == 0 }
        try MailServers.waitForDeliveries()
        XCTAssertEqual(try MailServers.messages(of: MailServers.contributor).count, answers.count + 1)
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM inbound"), answers.count + 1)
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"), 0)
    }

    private func mail(id: String, subject: String, inReplyTo: String?, references: [String], body: String) -> Data {
        MailServers.compose(from: MailServers.contributor, name: "Amina Yusuf", id: id, subject: subject, inReplyTo: inReplyTo, references: references, body: body)
    }
}
