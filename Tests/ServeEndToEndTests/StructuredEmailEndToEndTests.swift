import Foundation
import GRDB
import IntakeMail
import IntakeStore
import XCTest

/// An organisation answers the whole pledge form in one French email, through the real mail servers.
final class StructuredEmailEndToEndTests: XCTestCase {
    var serve: ServeProcess!

    override func setUpWithError() throws {
        try MailServers.ready()
        serve = ServeProcess(databasePath: NSTemporaryDirectory() + "structured-\(UUID().uuidString).sqlite", mail: true)
        try serve.start()
    }

    override func tearDownWithError() throws {
        serve.stop()
        serve.removeFiles()
    }

    /// Opens a French pledge conversation as `user`; returns the email holding the form template.
    private func openPledge(as user: String) throws -> ParsedMail {
        try MailServers.send(
            MailServers.compose(from: user, id: "\(user)-0", subject: "Engagement", inReplyTo: nil, references: [], body: "Bonjour, nous voulons enregistrer un engagement."),
            from: user, to: MailServers.service)
        let notice = try MIMEParser.parse(try MailServers.waitForMessages(of: user, count: 1)[0].data)
        XCTAssertTrue(notice.text.contains("Confidentialité"), notice.text)
        try MailServers.send(
            MailServers.compose(from: user, id: "\(user)-1", subject: "Re: " + (notice.subject ?? ""), inReplyTo: notice.messageId, references: [notice.messageId!], body: "oui"),
            from: user, to: MailServers.service)
        let form = try MIMEParser.parse(try MailServers.waitForMessages(of: user, count: 2)[1].data)
        XCTAssertTrue(form.text.contains("[1] Titre de l'engagement (obligatoire)"), form.text)
        XCTAssertTrue(form.text.contains("[14] Accord de publication (obligatoire)"), form.text)
        return form
    }

    /// Answers under the quoted form, as a mail client's reply with the answers typed in.
    private func reply(as user: String, to form: ParsedMail, answers: [Int: String]) throws -> ParsedMail {
        var lines = ["Bonjour, voici nos réponses.", "", "Le mer. 25 nov. 2026 à 10:00, GCR Intake <intake@example.org> a écrit :"]
        var open: Int?
        // "\r\n" is one Character in Swift: normalise before splitting.
        for text in form.text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n") {
            if let number = Int(text.dropFirst().prefix { $0 != "]" }), text.hasPrefix("[") {
                if let open, let answer = answers[open] { lines.append(answer) }
                open = number
            } else if text.hasPrefix("---"), let current = open {
                if let answer = answers[current] { lines.append(answer) }
                open = nil
            }
            lines.append("> " + text)
        }
        try MailServers.send(
            MailServers.compose(from: user, id: "\(user)-2", subject: "Re: " + (form.subject ?? ""), inReplyTo: form.messageId, references: form.references + [form.messageId!], body: lines.joined(separator: "\n")),
            from: user, to: MailServers.service)
        return try MIMEParser.parse(try MailServers.waitForMessages(of: user, count: 3)[2].data)
    }

    func testAPledgeAnsweredCompletelyInOneFrenchEmailReachesTheSummary() throws {
        let user = MailServers.contributor
        let form = try openPledge(as: user)
        let next = try reply(
            as: user, to: form,
            answers: [
                1: "Emplois solaires pour les jeunes au Tchad", 2: "Acme Solaire SARL", 3: "8", 4: "non",
                6: "Nous formerons 200 jeunes réfugiés et membres de la communauté d'accueil comme techniciens solaires en trois ans.", 7: "1, 2",
                8: "Emplois et moyens de subsistance", 9: "Financier, Technique", 10: "250 000", 11: "Tchad, Cameroun", 12: "2", 13: "Prévu", 14: "oui",
            ])
        XCTAssertTrue(next.text.contains("Merci : j'ai noté 13 réponse(s)."), next.text)
        XCTAssertTrue(next.text.contains("Vérifiez vos réponses"), "the summary to confirm: \(next.text)")
        XCTAssertTrue(next.text.contains("Montant (USD) : 250000") && next.text.contains("Pays : Tchad, Cameroun"), next.text)
        XCTAssertFalse(next.text.contains("[1]"), "nothing is asked again")
        XCTAssertEqual(next.inReplyTo, ["\(user)-2"])
        let state = try XCTUnwrap(try serve.read { db in try String.fetchOne(db, sql: "SELECT step FROM conversation WHERE status = 'active'") })
        XCTAssertEqual(state, "summary")
    }

    func testAPledgeAnsweredPartlyGetsExactlyTheMissingQuestionsBack() throws {
        let user = MailServers.other
        let form = try openPledge(as: user)
        let next = try reply(as: user, to: form, answers: [1: "Emplois solaires pour les jeunes au Tchad", 2: "Acme Solaire SARL", 3: "Secteur privé", 6: "Trop court.", 12: "2"])
        XCTAssertTrue(next.text.contains("Merci : j'ai noté 4 réponse(s)."), next.text)
        let asked = next.text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n").filter { $0.hasPrefix("[") }.map { String($0.prefix { $0 != "]" }.dropFirst()) }
        XCTAssertEqual(asked, ["6", "7", "8", "9", "11", "13", "14"], next.text)
        XCTAssertTrue(next.text.contains("au moins 50 caractères"), "the reason the description was refused: \(next.text)")
    }
}
