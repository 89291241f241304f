import Foundation
import FoundationNetworking
import GRDB
import IntakeMail
import IntakeStore
import XCTest

/// The pledge cycle through the real `serve`: a registry imported with the CLI, an update by email that
/// names its pledge by words of the title, approval from the CLI, and the dashboard (HTTP and a real browser).
final class PledgeCycleTests: XCTestCase {
    var serve: ServeProcess!
    static let token = "reviewer-token-0123456789"

    override func setUpWithError() throws {
        try MailServers.ready()
        serve = ServeProcess(
            databasePath: NSTemporaryDirectory() + "pledges-\(UUID().uuidString).sqlite", environment: ["GCR_INTAKE_DASHBOARD_TOKEN": Self.token])
    }

    override func tearDownWithError() throws {
        serve.stop()
        serve.removeFiles()
    }

    static let registry = """
        id,title,entity,entity_type,partners,countries,areas,forum,stage,contacts,description
        GRF-01234,Emplois pour les jeunes réfugiés au Tchad,Acme Solaire,private_sector,,Tchad; Cameroun,jobs_livelihoods,grf_2023,planned,,Former 200 jeunes techniciens solaires
        GRF-01235,Écoles solaires à Kakuma,Sun ONG,ngo,Ville de Lyon; HCR,KE,education; energy_infrastructure,GRF 2019,in_progress,,Des panneaux solaires pour 12 écoles
        GRF-01236,Santé mentale pour les jeunes,Mind Aid,ngo,,UG,health,grf_2023,fulfilled,,Soutien psychosocial

        """

    private func importRegistry() throws {
        let file = NSTemporaryDirectory() + "registry-\(UUID().uuidString).csv"
        try Self.registry.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try runCLI(["pledges", "import", file])
        XCTAssertEqual(result.status, 0, result.error)
    }

    func testAFrenchOrganisationReportsProgressByEmailNamingItsPledgeByTwoWordsAndTheDashboardFollows() async throws {
        try importRegistry()
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
        try serve.waitUntil("the update submitted") { try serve.count("SELECT COUNT(*) FROM submission") == 1 }
        let (reference, pledgeId) = try serve.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT s.reference, p.external_id FROM submission s LEFT JOIN pledge p ON p.id = s.pledge_id")!
            return (row[0] as String, row[1] as String?)
        }
        XCTAssertEqual(pledgeId, "GRF-01234", "the update is linked to its pledge")
        let shown = try runCLI(["review", "show", reference], output: true)
        XCTAssertTrue(shown.output.contains("Reports on pledge:") && shown.output.contains("GRF-01234"), shown.output)

        // Before approval: the pledge is planned and has no update on the dashboard.
        let before = try await get(port, "/dashboard/pledges/GRF-01234?lang=fr")
        XCTAssertEqual(before.status, 200)
        XCTAssertTrue(before.text.contains("Prévu") || before.text.contains("Planifié"), "stage before: \(before.text.prefix(400))")
        XCTAssertFalse(before.text.contains("Nous avons formé 120 jeunes"))

        XCTAssertEqual(try runCLI(["review", "approve", reference, "--reviewer", "ana"]).status, 0)
        let after = try await get(port, "/dashboard/pledges/GRF-01234?lang=en")
        XCTAssertTrue(after.text.contains(#"<dd id="pledge-stage">In progress</dd>"#) || after.text.range(of: #"id="pledge-stage"[^>]*>\s*In progress"#, options: .regularExpression) != nil, after.text)
        XCTAssertTrue(after.text.contains("Nous avons formé 120 jeunes techniciens solaires en 2025."), "the update in the timeline")
        XCTAssertTrue(after.text.contains("1200"), "people reached")
        XCTAssertFalse(after.text.contains(MailServers.contributor), "no contact detail on the page")
        let pledges = try runCLI(["pledges", "show", "GRF-01234"], output: true)
        XCTAssertTrue(pledges.output.contains("stage in_progress") && pledges.output.contains(reference), pledges.output)
        let dashboard = try await get(port, "/dashboard?lang=en")
        XCTAssertTrue(dashboard.text.contains(#"id="total-updates">1<"#), dashboard.text.prefix(2000).description)
        let data = try await get(port, "/dashboard.json")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(data.text.utf8)) as? [String: Any])
        XCTAssertEqual((json["figures"] as? [String: Any])?["updates"] as? Int, 1)
        let csv = try await get(port, "/dashboard.csv")
        XCTAssertTrue(csv.text.contains("GRF-01234,Emplois pour les jeunes réfugiés au Tchad,Acme Solaire,private_sector,,TD; CM,jobs_livelihoods,grf_2023,in_progress,"), csv.text)
    }

    func testReviewerViewsNeedTheTokenAndAnUnknownPledgeIsA404InTheVisitorsLanguage() async throws {
        try importRegistry()
        try serve.start()
        let port = try serve.httpPort()
        let none = try await get(port, "/dashboard/review")
        XCTAssertEqual(none.status, 401)
        let forged = try await get(port, "/dashboard/review", headers: ["Authorization": "Bearer reviewer-token-0123456788"])
        XCTAssertEqual(forged.status, 401, "forged")
        let basic = try await get(port, "/dashboard/review", headers: ["Authorization": "Basic \(Self.token)"])
        XCTAssertEqual(basic.status, 401)
        let review = try await get(port, "/dashboard/review", headers: ["Authorization": "Bearer \(Self.token)"])
        XCTAssertEqual(review.status, 200)
        let missing = try await get(port, "/dashboard/pledges/GRF-99999", headers: ["Accept-Language": "es-ES,es;q=0.9,en;q=0.5"])
        XCTAssertEqual(missing.status, 404)
        XCTAssertTrue(missing.text.contains(#"lang="es""#) && missing.text.contains("GRF-99999"), missing.text)
        let arabic = try await get(port, "/dashboard?lang=ar")
        XCTAssertTrue(arabic.text.contains(#"dir="rtl""#))
    }

    func testTheDashboardInARealBrowserInEnglishAndArabicOnAPhone() async throws {
        try importRegistry()
        try serve.start()
        let port = try serve.httpPort()
        // The figures the page must show, from the database.
        let (pledges, stages) = try serve.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pledge WHERE published") ?? 0,
             try Row.fetchAll(db, sql: "SELECT stage, COUNT(*) FROM pledge WHERE published GROUP BY stage").map { ($0[0] as String, $0[1] as Int) })
        }
        let english = ["planned": "Planned", "in_progress": "In progress", "fulfilled": "Fulfilled", "discontinued": "Discontinued"]
        let expected: [String: Any] = [
            "totals": ["pledges": String(pledges), "updates": "0", "practices": "0", "joint": "1", "stale": String(pledges)],
            "stage": Dictionary(uniqueKeysWithValues: stages.map { (english[$0.0] ?? $0.0, $0.1) }),
            "pledge": ["id": "GRF-01235", "title": "Écoles solaires à Kakuma", "stage": "In progress"],
        ]
        let expectedFile = NSTemporaryDirectory() + "dashboard-expected-\(UUID().uuidString).json"
        try JSONSerialization.data(withJSONObject: expected).write(to: URL(fileURLWithPath: expectedFile))
        defer { try? FileManager.default.removeItem(atPath: expectedFile) }
        let screenshots = MailServers.root.appendingPathComponent(".build/test-artifacts/dashboard").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [MailServers.root.appendingPathComponent("Tests/Browser/dashboard_check.py").path, "http://127.0.0.1:\(port)", expectedFile, screenshots]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        print(text.split(separator: "\n").suffix(3).joined(separator: "\n"))
        XCTAssertEqual(process.terminationStatus, 0, text)
        for name in ["dashboard-en-1280x900.png", "dashboard-ar-390x844.png"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: screenshots + "/" + name), "screenshot \(name) saved in \(screenshots)")
        }
    }

    // MARK: -

    private func get(_ port: Int, _ path: String, headers: [String: String] = [:]) async throws -> (status: Int, text: String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    private func runCLI(_ arguments: [String], output: Bool = false) throws -> (status: Int32, error: String, output: String) {
        let process = Process()
        process.executableURL = ServeProcess.binary
        process.arguments = arguments
        process.environment = serve.environment.filter { ["GCR_INTAKE_DB", "GCR_INTAKE_PROMPTS", "GCR_INTAKE_TEMPLATES", "GCR_INTAKE_MAIL_FROM"].contains($0.key) }
        let error = Pipe()
        let out = Pipe()
        process.standardError = error
        process.standardOutput = out
        try process.run()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let text = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text, printed)
    }

    private func mail(id: String, subject: String, inReplyTo: String?, references: [String], body: String) -> Data {
        MailServers.compose(from: MailServers.contributor, name: "Claire Martin", id: id, subject: subject, inReplyTo: inReplyTo, references: references, body: body)
    }
}
