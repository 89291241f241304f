import Foundation
import FoundationNetworking
import GRDB
import XCTest

/// The pledge dashboard through the real `serve` over HTTP and in a real browser (no mail needed, so
/// these run beside the mail tests; the update by email that the dashboard follows is in PledgeCycleTests).
final class PledgeDashboardTests: XCTestCase {
    var serve: ServeProcess!

    override func setUpWithError() throws {
        serve = ServeProcess(
            databasePath: NSTemporaryDirectory() + "dashboard-\(UUID().uuidString).sqlite", environment: ["GCR_INTAKE_DASHBOARD_TOKEN": PledgeFixtures.token])
    }

    override func tearDownWithError() throws {
        serve.stop()
        serve.removeFiles()
    }

    func testReviewerViewsNeedTheTokenAndAnUnknownPledgeIsA404InTheVisitorsLanguage() async throws {
        try PledgeFixtures.importRegistry(into: serve)
        try serve.start()
        let port = try serve.httpPort()
        let none = try await PledgeFixtures.get(port, "/dashboard/review")
        XCTAssertEqual(none.status, 401)
        let forged = try await PledgeFixtures.get(port, "/dashboard/review", headers: ["Authorization": "Bearer reviewer-token-0123456788"])
        XCTAssertEqual(forged.status, 401, "forged")
        let basic = try await PledgeFixtures.get(port, "/dashboard/review", headers: ["Authorization": "Basic \(PledgeFixtures.token)"])
        XCTAssertEqual(basic.status, 401)
        let review = try await PledgeFixtures.get(port, "/dashboard/review", headers: ["Authorization": "Bearer \(PledgeFixtures.token)"])
        XCTAssertEqual(review.status, 200)
        let missing = try await PledgeFixtures.get(port, "/dashboard/pledges/GRF-99999", headers: ["Accept-Language": "es-ES,es;q=0.9,en;q=0.5"])
        XCTAssertEqual(missing.status, 404)
        XCTAssertTrue(missing.text.contains(#"lang="es""#) && missing.text.contains("GRF-99999"), missing.text)
        let arabic = try await PledgeFixtures.get(port, "/dashboard?lang=ar")
        XCTAssertTrue(arabic.text.contains(#"dir="rtl""#))
    }

    func testTheDashboardInARealBrowserInEnglishAndArabicOnAPhone() async throws {
        try PledgeFixtures.importRegistry(into: serve)
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
        let (status, text) = try BrowserCheck.run("dashboard_check.py", ["http://127.0.0.1:\(port)", expectedFile, screenshots])
        XCTAssertEqual(status, 0, text)
        for name in ["dashboard-en-1280x900.png", "dashboard-ar-390x844.png"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: screenshots + "/" + name), "screenshot \(name) saved in \(screenshots)")
        }
    }
}

/// A small registry in French and the HTTP helper both pledge test classes use.
enum PledgeFixtures {
    static let token = "reviewer-token-0123456789"

    static let registry = """
        id,title,entity,entity_type,partners,countries,areas,forum,stage,contacts,description
        GRF-01234,Emplois pour les jeunes réfugiés au Tchad,Acme Solaire,private_sector,,Tchad; Cameroun,jobs_livelihoods,grf_2023,planned,,Former 200 jeunes techniciens solaires
        GRF-01235,Écoles solaires à Kakuma,Sun ONG,ngo,Ville de Lyon; HCR,KE,education; energy_infrastructure,GRF 2019,in_progress,,Des panneaux solaires pour 12 écoles
        GRF-01236,Santé mentale pour les jeunes,Mind Aid,ngo,,UG,health,grf_2023,fulfilled,,Soutien psychosocial

        """

    static func importRegistry(into serve: ServeProcess) throws {
        let file = NSTemporaryDirectory() + "registry-\(UUID().uuidString).csv"
        try Self.registry.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try serve.cli(["pledges", "import", file])
        XCTAssertEqual(result.status, 0, result.error)
    }

    static func get(_ port: Int, _ path: String, headers: [String: String] = [:]) async throws -> (status: Int, text: String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}
