import Foundation
import GRDB
import IntakeCore
@testable import IntakeStore
import XCTest

/// The registry in the store: import (all or nothing, bad rows by line, idempotent), search by words, and
/// updates that name their pledge in the conversation, linked and carried into the registry on approval.
final class PledgeRegistryTests: XCTestCase {
    var h: StoreHarness!

    override func setUpWithError() throws { h = try StoreHarness() }
    override func tearDown() { h.remove() }

    static let csv = """
        id,title,entity,entity_type,partners,countries,areas,forum,stage,contacts,description
        GRF-01234,Emplois pour les jeunes réfugiés au Tchad,Acme Solaire,private_sector,,Tchad; Cameroun,jobs_livelihoods,grf_2023,planned,ops@acme.example.org,Former 200 jeunes techniciens solaires
        GRF-01235,Écoles solaires à Kakuma,Sun ONG,ngo,Ville de Lyon; HCR,KE,education; energy_infrastructure,GRF 2019,in_progress,+254 700 000 001,Des panneaux solaires pour 12 écoles
        GRF-01236,تعليم الفتيات اللاجئات في الأردن,جمعية الأمل,ngo,,JO,education,grf_2023,planned,,

        """

    private func importCSV(_ text: String = csv, name: String = "registry.csv") throws -> PledgeImporter.Report {
        let importer = PledgeImporter(catalog: h.processor.engine.catalog)
        let rows = try importer.read(Data(text.utf8), fileName: name)
        return try h.database.writer.write { db in try importer.write(rows, at: h.clock, db: db) }
    }

    func testImportIsIdempotentAndABadFileChangesNothing() throws {
        XCTAssertEqual(try importCSV(), PledgeImporter.Report(added: 3, updated: 0))
        XCTAssertEqual(try importCSV(), PledgeImporter.Report(added: 0, updated: 3), "re-import updates by id")
        let pledge = try XCTUnwrap(try h.database.writer.read { db in try PledgeRegistry.find("grf-01234", db: db) })
        XCTAssertEqual(pledge.countryCodes, ["TD", "CM"])
        XCTAssertEqual(pledge.areaIds, ["jobs_livelihoods"])
        let bad = """
            id,title,stage,countries
            GRF-2,Good one,planned,KE
            GRF-3,,planned,KE
            GRF-4,Bad stage,banana,KE
            "GRF-5","A title
            on two lines",planned,Atlantis
            GRF-2,Twice,planned,KE
            """
        XCTAssertThrowsError(try importCSV(bad)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("line 3: title is empty"), text)
            XCTAssertTrue(text.contains("line 4: stage 'banana'"), text)
            XCTAssertTrue(text.contains("line 5: unknown country 'Atlantis'"), text)
            XCTAssertTrue(text.contains("line 7: id GRF-2 is also on line 2"), text)
        }
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM pledge"), 3, "nothing of the bad file")
        let json = #"[{"id": "GRF-9", "title": "From JSON", "countries": ["KE", "Uganda"], "areas": "education; health"},\#n {"id": "GRF-10", "title": ""}]"#
        XCTAssertThrowsError(try importCSV(json, name: "r.json")) { error in XCTAssertTrue("\(error)".contains("line 2: title is empty"), "\(error)") }
    }

    func testSearchFindsWordsWithoutAccentsAndArabicLetterForms() throws {
        _ = try importCSV()
        func search(_ text: String) throws -> [String] { try h.database.writer.read { db in try PledgeRegistry.search(text, db: db).map(\.externalId) } }
        XCTAssertEqual(try search("ecoles kakuma"), ["GRF-01235"])
        XCTAssertEqual(try search("JEUNES tchad"), ["GRF-01234"])
        XCTAssertEqual(try search("تعليم الفتيات"), ["GRF-01236"])
        XCTAssertEqual(try search("تعليم الفتيات اللاجئات فى الاردن"), ["GRF-01236"], "ى for ي, no hamza")
        XCTAssertEqual(try search("Acme"), ["GRF-01234"], "by entity")
        XCTAssertEqual(try search("\"; DROP TABLE pledge; --"), [])
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM pledge"), 3)
    }

    func testAnUpdateNamesItsPledgeByWordsIsConfirmedLinkedAndApprovalSetsTheStage() throws {
        _ = try importCSV()
        let sender = "+254700000999"
        for text in ["3", "yes"] { try h.send(text, from: sender) }
        try h.send("jeunes Tchad", from: sender)
        let confirm = try lastReply(to: sender)
        XCTAssertTrue(confirm.contains("GRF-01234") && confirm.contains("Emplois pour les jeunes réfugiés au Tchad"), confirm)
        try h.send("yes", from: sender)
        XCTAssertEqual(try h.database.activeConversation(channel: .whatsapp, address: sender)?.field, "status")
        for text in ["2", "skip", "skip", "skip", "We trained 120 young solar technicians in 2025.", "skip", "skip", "no", "yes", "ok"] {
            try h.send(text, from: sender)
        }
        let submission = try XCTUnwrap(try h.database.writer.read { db in try Submission.fetchOne(db) })
        XCTAssertEqual(try submission.decodedAnswers()["pledge_reference"], .text("GRF-01234"))
        let pledge = try XCTUnwrap(try h.database.writer.read { db in try PledgeRegistry.find("GRF-01234", db: db) })
        XCTAssertEqual(submission.pledgeId, pledge.id)
        XCTAssertEqual(pledge.stage, "planned")
        try h.desk.act(.approve, reference: submission.reference, reviewer: "ana", note: nil, at: h.clock)
        let after = try XCTUnwrap(try h.database.writer.read { db in try PledgeRegistry.find("GRF-01234", db: db) })
        XCTAssertEqual(after.stage, "in_progress")
        XCTAssertNotNil(after.lastUpdateAt)
    }

    func testTheContributorsOwnPledgesComeFirstAndSeveralMatchesAreNumbered() throws {
        _ = try importCSV()
        let sender = "+254700000001"  // a contact of GRF-01235
        for text in ["3", "yes"] { try h.send(text, from: sender) }
        let offered = try lastReply(to: sender)
        XCTAssertTrue(offered.contains("1. GRF-01235"), offered)
        try h.send("1", from: sender)
        XCTAssertEqual(try h.database.activeConversation(channel: .whatsapp, address: sender)?.answers["pledge_reference"], .text("GRF-01235"))
        let other = "+254700000555"
        for text in ["3", "yes", "solaires"] { try h.send(text, from: other) }
        let matches = try lastReply(to: other)
        XCTAssertTrue(matches.contains("1. GRF-") && matches.contains("2. GRF-") && matches.contains("3. "), matches)
        try h.send("GRF-77777", from: other)
        XCTAssertTrue(try lastReply(to: other).contains("GRF-77777"), "an unknown id says so")
        try h.send("GRF-77777", from: other)
        XCTAssertEqual(try h.database.activeConversation(channel: .whatsapp, address: other)?.answers["pledge_reference"], .text("GRF-77777"), "sent again: kept as written")
    }

    func testAnApprovedPledgeJoinsTheRegistryAndIsPublishedOnlyWithConsent() throws {
        let sender = "+254700000777"
        for text in ["2", "yes", "Jobs for refugee youth", "Acme Ltd", "8", "no", "We will hire 200 refugees in our factories over three years.", "2", "3", "3",
            "Chad", "2", "2", "no", "no", "ok"] { try h.send(text, from: sender) }
        let reference = try XCTUnwrap(try h.database.writer.read { db in try String.fetchOne(db, sql: "SELECT reference FROM submission") })
        try h.desk.act(.approve, reference: reference, reviewer: "ana", note: nil, at: h.clock)
        let pledge = try XCTUnwrap(try h.database.writer.read { db in try PledgeRegistry.find(reference, db: db) })
        XCTAssertEqual(pledge.title, "Jobs for refugee youth")
        XCTAssertFalse(pledge.published, "consent to publish was no")
        XCTAssertEqual(try h.database.writer.read { db in try DashboardFigures.compute(at: h.clock, db: db) }.pledges, 0)
    }


    func testNotThisOneThenWordsAreKeptAsWrittenAndStrangersFindOnlyPublishedPledges() throws {
        _ = try importCSV()
        let sender = "+254700000444"
        for text in ["3", "yes", "jeunes Tchad", "no"] { try h.send(text, from: sender) }
        try h.send("Our cash pledge for Chad refugees", from: sender)
        XCTAssertEqual(
            try h.database.activeConversation(channel: .whatsapp, address: sender)?.answers["pledge_reference"], .text("Our cash pledge for Chad refugees"),
            "after 'not this one' the words are kept: a pledge missing from the registry never blocks")
        try h.database.writer.write { db in try db.execute(sql: "UPDATE pledge SET published = 0 WHERE external_id = 'GRF-01235'") }
        let stranger = "+254700000445"
        for text in ["3", "yes", "GRF-01235"] { try h.send(text, from: stranger) }
        XCTAssertFalse(try lastReply(to: stranger).contains("Kakuma"), "an unpublished pledge's title is not shown to a stranger")
        let owner = "+254700000001"  // its contact
        for text in ["3", "yes", "GRF-01235"] { try h.send(text, from: owner) }
        XCTAssertTrue(try lastReply(to: owner).contains("Kakuma"), "its own contact finds it")
    }

    func testErasingAContributorRemovesThemFromThePledgesContacts() throws {
        _ = try importCSV()
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM pledge_contact WHERE address = '254700000001'"), 1)
        try h.send("hello", from: "+254700000001")
        try h.send("yes", from: "+254700000001")
        try h.send("erase my data", from: "+254700000001")
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM pledge_contact WHERE address = '254700000001'"), 0)
        XCTAssertEqual(try h.count("SELECT COUNT(*) FROM pledge"), 3, "the pledge itself stays")
    }

    private func lastReply(to sender: String) throws -> String {
        try h.database.writer.read { db in try String.fetchAll(db, sql: "SELECT body FROM outbox WHERE recipient = ? ORDER BY id DESC LIMIT 2", arguments: [sender]) }
            .reversed().joined(separator: "\n")
    }
}
