import Foundation
import GRDB
import IntakeMail
import IntakeStore
import XCTest

/// Submitted by email, approved with the CLI: the *received* and *approved* notices arrive in the
/// contributor's mailbox, in their language, in the thread of the conversation.
final class ReviewEmailEndToEndTests: XCTestCase {
    var serve: ServeProcess!

    override func setUpWithError() throws {
        try MailServers.ready()
        serve = ServeProcess(databasePath: NSTemporaryDirectory() + "review-e2e-\(UUID().uuidString).sqlite", mail: true)
        try serve.start()
    }

    override func tearDownWithError() throws {
        serve.stop()
        serve.removeFiles()
    }

    func testFrenchUpdateSubmittedByEmailThenApprovedWithTheCLI() throws {
        let answers = ["oui", "GCR-PL-000007", "2", "passer", "passer", "passer", "Nous avons distribué 300 lampes solaires en 2024.", "passer", "passer", "oui", "ok"]
        var previousId = "fr-0@example.org"
        try MailServers.send(
            mail(id: previousId, subject: "Mise à jour", inReplyTo: nil, references: [], body: "Bonjour, voici une mise à jour de notre engagement"),
            from: MailServers.contributor, to: MailServers.service)
        var thread = [previousId]
        for (index, answer) in answers.enumerated() {
            let inbox = try MailServers.waitForMessages(of: MailServers.contributor, count: index + 1)
            let reply = try MIMEParser.parse(inbox[index].data)
            let replyId = try XCTUnwrap(reply.messageId)
            XCTAssertEqual(reply.inReplyTo, [previousId])
            thread.append(replyId)
            previousId = "fr-\(index + 1)@example.org"
            try MailServers.send(
                mail(id: previousId, subject: "Re: " + (reply.subject ?? ""), inReplyTo: replyId, references: reply.references + [replyId], body: answer),
                from: MailServers.contributor, to: MailServers.service)
            thread.append(previousId)
        }
        let received = try MIMEParser.parse(try MailServers.waitForMessages(of: MailServers.contributor, count: answers.count + 1)[answers.count].data)
        let reference = try XCTUnwrap(try serve.read { db in try String.fetchOne(db, sql: "SELECT reference FROM submission") })
        XCTAssertEqual(received.subject, "Nous avons reçu votre point d'avancement [\(reference)]")
        XCTAssertTrue(received.text.contains("Votre référence est \(reference)"), received.text)
        XCTAssertTrue(received.text.contains("Nous avons distribué 300 lampes solaires en 2024."), "the summary of what was sent: \(received.text)")
        XCTAssertEqual(received.inReplyTo, [previousId], "threaded under the contributor's confirmation")
        XCTAssertEqual(received.references.suffix(3), thread.suffix(3))

        // A reviewer approves from the command line, on the database the running service uses.
        let approve = try runCLI(["review", "approve", reference, "--reviewer", "ana", "--note", "Merci pour ces chiffres."])
        XCTAssertEqual(approve.status, 0, approve.error)

        let approvedRaw = try MailServers.waitForMessages(of: MailServers.contributor, count: answers.count + 2)[answers.count + 1].data
        let approved = try MIMEParser.parse(approvedRaw)
        XCTAssertEqual(approved.subject, "Approuvé : votre point d'avancement [\(reference)]")
        XCTAssertTrue(approved.text.contains("Bonne nouvelle"), approved.text)
        XCTAssertTrue(approved.text.contains("Merci pour ces chiffres."), approved.text)
        XCTAssertEqual(approved.inReplyTo, [previousId], "the approval stays in the conversation's thread")
        XCTAssertTrue(approved.references.contains(thread[0]), "References go back to the first mail")
        XCTAssertEqual(approved.header("auto-submitted"), "auto-replied")
        let html = try XCTUnwrap(Self.htmlPart(approvedRaw), "an HTML alternative")
        XCTAssertTrue(html.contains("<html lang=\"fr\" dir=\"ltr\">"), html)
        XCTAssertTrue(html.contains("Merci pour ces chiffres."), html)
        // Exactly one of each: nothing doubled by the outbox.
        try serve.waitUntil("every notice sent") { try serve.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL") == 0 }
        try MailServers.waitForDeliveries()
        XCTAssertEqual(try MailServers.messages(of: MailServers.contributor).count, answers.count + 2)
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"), 0)
    }

    /// The decoded text/html part of a multipart/alternative message.
    static func htmlPart(_ raw: Data) -> String? {
        let text = String(decoding: raw, as: UTF8.self)
        guard let start = text.range(of: "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n") else { return nil }
        let rest = text[start.upperBound...]
        let body = rest[..<(rest.range(of: "\r\n--")?.lowerBound ?? rest.endIndex)]
        return Data(base64Encoded: body.replacingOccurrences(of: "\r\n", with: "")).map { String(decoding: $0, as: UTF8.self) }
    }

    private func runCLI(_ arguments: [String]) throws -> (status: Int32, error: String) {
        let process = Process()
        process.executableURL = ServeProcess.binary
        process.arguments = arguments
        process.environment = serve.environment.filter { ["GCR_INTAKE_DB", "GCR_INTAKE_PROMPTS", "GCR_INTAKE_TEMPLATES", "GCR_INTAKE_MAIL_FROM"].contains($0.key) }
        let error = Pipe()
        process.standardError = error
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    private func mail(id: String, subject: String, inReplyTo: String?, references: [String], body: String) -> Data {
        MailServers.compose(from: MailServers.contributor, name: "Amina Yusuf", id: id, subject: subject, inReplyTo: inReplyTo, references: references, body: body)
    }
}
