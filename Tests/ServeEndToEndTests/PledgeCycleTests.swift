import Foundation
import FoundationNetworking
import GRDB
import IntakeMail
import IntakeStore
import XCTest

/// The pledge cycle through the real `serve`: a registry imported with the CLI, an update by email that
/// names its pledge by words of the title, approval from the CLI, and the dashboard following it.
/// (The dashboard's own checks, which need no mail, are in PledgeDashboardTests.)
final class PledgeCycleTests: XCTestCase {
    var serve: ServeProcess!

    override func setUpWithError() throws {
        try MailServers.ready()
        serve = ServeProcess(databasePath: NSTemporaryDirectory() + "pledges-\(UUID().uuidString).sqlite", mail: true, environment: ["GCR_INTAKE_DASHBOARD_TOKEN": PledgeFixtures.token])
    }

    override func tearDownWithError() throws {
        serve.stop()
        serve.removeFiles()
    }

    func testAFrenchOrganisationReportsProgressByEmailNamingItsPledgeByTwoWordsAndTheDashboardFollows() async throws {
        try PledgeFixtures.importRegistry(into: serve)
        try serve.start()
        let port = try serve.httpPort()
        // "jeunes Tchad": two words of the title; one pledge matches, confirmed by its title.
        let answers = [
            "oui", "jeunes Tchad", "oui", "en cours", "1 200 jeunes", "passer", "Tchad", "Nous avons formé 120 jeunes techniciens solaires en 2025.", "passer",
            "passer", "oui", "ok",
        ]
        var previousId = "pl-0@example.org"
        try MailServers.send(
            mail(id: previousId, subject: "Notre engagement", inReplyTo: nil, references: [], body: "Bonjour, je voudrais faire le point sur notre engagement"),
            from: MailServers.contributor, to: MailServers.service)
        var confirmation = ""
        for (index, answer) in answers.enumerated() {
            let inbox = try MailServers.waitForMessages(of: MailServers.contributor, count: index + 1)
            let reply = try MIMEParser.parse(inbox[index].data)
            if index == 2 { confirmation = reply.text }
            let replyId = try XCTUnwrap(reply.messageId)
            previousId = "pl-\(index + 1)@example.org"
            try MailServers.send(
                mail(id: previousId, subject: "Re: " + (reply.subject ?? ""), inReplyTo: replyId, references: reply.references + [replyId], body: answer),
                from: MailServers.contributor, to: MailServers.service)
        }
        XCTAssertTrue(confirmation.contains("GRF-01234") && confirmation.contains("Emplois pour les jeunes réfugiés au Tchad"), confirmation)
        try await serve.waitUntil("the update submitted") { try serve.count("SELECT COUNT(*) FROM submission") == 1 }
        let (reference, pledgeId) = try serve.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT s.reference, p.external_id FROM submission s LEFT JOIN pledge p ON p.id = s.pledge_id")!
            return (row[0] as String, row[1] as String?)
        }
        XCTAssertEqual(pledgeId, "GRF-01234", "the update is linked to its pledge")
        let shown = try serve.cli(["review", "show", reference])
        XCTAssertTrue(shown.output.contains("Reports on pledge:") && shown.output.contains("GRF-01234"), shown.output)

        // Before approval: the pledge is planned and has no update on the dashboard.
        let before = try await PledgeFixtures.get(port, "/dashboard/pledges/GRF-01234?lang=fr")
        XCTAssertEqual(before.status, 200)
        XCTAssertTrue(before.text.contains("Prévu") || before.text.contains("Planifié"), "stage before: \(before.text.prefix(400))")
        XCTAssertFalse(before.text.contains("Nous avons formé 120 jeunes"))

        XCTAssertEqual(try serve.cli(["review", "approve", reference, "--reviewer", "ana"]).status, 0)
        let after = try await PledgeFixtures.get(port, "/dashboard/pledges/GRF-01234?lang=en")
        XCTAssertTrue(after.text.contains(#"<dd id="pledge-stage">In progress</dd>"#) || after.text.range(of: #"id="pledge-stage"[^>]*>\s*In progress"#, options: .regularExpression) != nil, after.text)
        XCTAssertTrue(after.text.contains("Nous avons formé 120 jeunes techniciens solaires en 2025."), "the update in the timeline")
        XCTAssertTrue(after.text.contains("1200"), "people reached")
        XCTAssertFalse(after.text.contains(MailServers.contributor), "no contact detail on the page")
        let pledges = try serve.cli(["pledges", "show", "GRF-01234"])
        XCTAssertTrue(pledges.output.contains("stage in_progress") && pledges.output.contains(reference), pledges.output)
        let dashboard = try await PledgeFixtures.get(port, "/dashboard?lang=en")
        XCTAssertTrue(dashboard.text.contains(#"id="total-updates">1<"#), dashboard.text.prefix(2000).description)
        let data = try await PledgeFixtures.get(port, "/dashboard.json")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(data.text.utf8)) as? [String: Any])
        XCTAssertEqual((json["figures"] as? [String: Any])?["updates"] as? Int, 1)
        let csv = try await PledgeFixtures.get(port, "/dashboard.csv")
        XCTAssertTrue(csv.text.contains("GRF-01234,Emplois pour les jeunes réfugiés au Tchad,Acme Solaire,private_sector,,TD; CM,jobs_livelihoods,grf_2023,in_progress,"), csv.text)
    }

    // MARK: -

    private func mail(id: String, subject: String, inReplyTo: String?, references: [String], body: String) -> Data {
        MailServers.compose(from: MailServers.contributor, name: "Claire Martin", id: id, subject: subject, inReplyTo: inReplyTo, references: references, body: body)
    }
}
