import Foundation
import GRDB
@testable import IntakeStore
import SwiftCSV
import XCTest

/// The review, export, stats and contacts commands of the real binary, on a database filled by real
/// conversations piped into `gcr-intake chat`.
final class ReviewCommandTests: XCTestCase {
    var db = ""

    override func setUpWithError() throws {
        db = NSTemporaryDirectory() + "review-\(UUID().uuidString).sqlite"
        for (fixture, contact, lang) in [
            ("good_practice_fr", "amina", "fr"), ("pledge_en", "acme", "en"), ("pledge_update_en", "amina-update", "en"),
            ("pledge_update_unpublishable_en", "bo", "en"),
        ] {
            let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/conversations/\(fixture)", withExtension: "txt"))
            let chat = try CLI.run(["chat", "--db", db, "--contact", contact, "--lang", lang], input: try Data(contentsOf: url))
            XCTAssertEqual(chat.status, 0, chat.error)
        }
    }

    override func tearDownWithError() throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
    }

    private func gcr(_ arguments: String...) throws -> CLI.Result {
        try CLI.run(arguments + ["--db", db])
    }

    private func json(_ result: CLI.Result) throws -> Any {
        XCTAssertEqual(result.status, 0, result.error)
        return try JSONSerialization.jsonObject(with: Data(result.output.utf8))
    }

    func testListShowsTheQueueOldestFirstAsATableAndAsJSON() throws {
        let table = try gcr("review", "list")
        XCTAssertEqual(table.status, 0, table.error)
        let lines = table.output.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("REFERENCE") && lines[0].contains("TITLE") && lines[0].contains("COUNTRY") && lines[0].contains("AGE"), lines[0])
        XCTAssertEqual(lines.dropFirst().prefix(4).map { String($0.prefix(13)) }, ["GCR-PR-000001", "GCR-PL-000001", "GCR-UP-000001", "GCR-UP-000002"])
        XCTAssertTrue(lines[1].contains("Écoles solaires de Kakuma") && lines[1].contains("KE,UG") && lines[1].contains("fr"), lines[1])
        XCTAssertTrue(lines[2].contains("Acme Solar Ltd"), lines[2])
        let items = try XCTUnwrap(try json(try gcr("review", "list", "--json")) as? [[String: Any]])
        XCTAssertEqual(items.map { $0["reference"] as? String }, ["GCR-PR-000001", "GCR-PL-000001", "GCR-UP-000001", "GCR-UP-000002"])
        XCTAssertEqual(items[1]["entity"] as? String, "Acme Solar Ltd")
        XCTAssertEqual(items[1]["countries"] as? [String], ["TD", "CM"])
        XCTAssertEqual(items[0]["language"] as? String, "fr")
        XCTAssertNotNil(items[0]["age_seconds"] as? Int)
        let pledges = try XCTUnwrap(try json(try gcr("review", "list", "--kind", "pledge", "--json")) as? [[String: Any]])
        XCTAssertEqual(pledges.count, 1)
        XCTAssertEqual(try gcr("review", "list", "--status", "approved").output, "No submissions (approved).\n")
        XCTAssertEqual((try json(try gcr("review", "list", "--since", "2999-01-01", "--json")) as? [Any])?.count, 0)
        XCTAssertEqual((try json(try gcr("review", "list", "--since", "2000-01-01", "--json")) as? [Any])?.count, 4)
        XCTAssertEqual(try gcr("review", "list", "--status", "pending").status, 2)
        XCTAssertEqual(try gcr("review", "list", "--since", "yesterday").status, 2)
        let unknownKind = try gcr("review", "list", "--kind", "petition")
        XCTAssertEqual(unknownKind.status, 2)
        XCTAssertTrue(unknownKind.error.contains("unknown kind 'petition'"), unknownKind.error)
    }

    func testShowPrintsEveryAnswerInTheReviewersLanguageWithTheContributorAndHistory() throws {
        let english = try gcr("review", "show", "GCR-PR-000001")
        XCTAssertEqual(english.status, 0, english.error)
        XCTAssertTrue(english.output.contains("1. Title [title]: Écoles solaires de Kakuma"), english.output)
        XCTAssertTrue(english.output.contains("Countries [countries]: Kenya, Uganda"), english.output)
        XCTAssertTrue(english.output.contains("channel terminal, language fr"), english.output)
        XCTAssertTrue(english.output.contains("contributor  submitted"), english.output)
        let french = try gcr("review", "show", "gcr-pr-000001", "--lang", "fr")
        XCTAssertTrue(french.output.contains("Pays [countries]: Kenya, Ouganda"), french.output)
        // Same contributor? The two updates have similar titles (the same pledge reference).
        let update = try XCTUnwrap(try json(try gcr("review", "show", "GCR-UP-000001", "--json")) as? [String: Any])
        let duplicates = try XCTUnwrap(update["duplicates"] as? [[String: Any]])
        XCTAssertEqual(duplicates.map { $0["reference"] as? String }, ["GCR-UP-000002"])
        XCTAssertEqual(duplicates.first?["reason"] as? String, "similar_title")
        let answers = try XCTUnwrap(update["answers"] as? [[String: Any]])
        XCTAssertEqual(answers.first(where: { $0["field"] as? String == "status" })?["value"] as? String, "In progress")
        XCTAssertEqual(answers.first(where: { $0["field"] as? String == "status" })?["stored"] as? String, "in_progress")
        XCTAssertEqual(try gcr("review", "show", "GCR-PR-000099").status, 3)
        XCTAssertEqual(try gcr("review", "show", "GCR-PR-000001", "--lang", "xx").status, 2)
    }

    func testDecisionsThroughTheCommandLineWithTheirExitCodesAndAuditTrail() throws {
        let assigned = try gcr("review", "assign", "GCR-PL-000001", "--reviewer", "ana")
        XCTAssertEqual(assigned.status, 0, assigned.error)
        XCTAssertEqual(try gcr("review", "comment", "GCR-PL-000001", "--reviewer", "ana", "--note", "Call them about the amount").status, 0)
        let sentBack = try gcr("review", "request-changes", "GCR-PL-000001", "--reviewer", "ana", "--note", "Which towns in Chad?")
        XCTAssertEqual(sentBack.status, 0, sentBack.error)
        XCTAssertTrue(sentBack.output.contains("now changes_requested"), sentBack.output)
        let refused = try gcr("review", "approve", "GCR-PL-000001", "--reviewer", "bo")
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.error.contains("it is changes_requested (changes_requested by ana"), refused.error)
        XCTAssertEqual(try gcr("review", "reject", "GCR-PL-000001", "--reviewer", "bo").status, 2, "--reason is required")
        XCTAssertEqual(try gcr("review", "approve", "GCR-PL-000001").status, 2, "--reviewer is required")
        XCTAssertEqual(try gcr("review", "approve", "GCR-PL-000404", "--reviewer", "bo").status, 3)
        XCTAssertEqual(try gcr("review", "approve", "GCR-PR-000001", "--reviewer", "bo", "--note", "Thank you").status, 0)
        XCTAssertEqual(try gcr("review", "reject", "GCR-PR-000001", "--reviewer", "ana", "--reason", "no").status, 1)
        XCTAssertEqual(try gcr("review", "reject", "GCR-UP-000001", "--reviewer", "ana", "--reason", "Duplicate of GCR-UP-000002").status, 0)
        let history = try gcr("review", "show", "GCR-PL-000001")
        for line in ["contributor  submitted", "ana  assigned", "ana  commented: Call them about the amount", "ana  changes_requested: Which towns in Chad?"] {
            XCTAssertTrue(history.output.contains(line), "\(line) in \(history.output)")
        }
        XCTAssertTrue(history.output.contains("(assigned to ana)"))
        // The contributor of the pledge sees the note in the terminal channel when they come back.
        let back = try CLI.run(["chat", "--db", db, "--contact", "acme"], input: Data())
        XCTAssertTrue(back.output.contains("Which towns in Chad?"), back.output)
    }

    func testTwoReviewerProcessesDecidingAtOnceExactlyOneWins() throws {
        for reference in ["GCR-PR-000001", "GCR-PL-000001", "GCR-UP-000001", "GCR-UP-000002"] {
            let approve = try CLI.start(["review", "approve", reference, "--reviewer", "ana", "--db", db])
            let reject = try CLI.start(["review", "reject", reference, "--reviewer", "bo", "--reason", "out of scope", "--db", db])
            let results = [CLI.finish(approve), CLI.finish(reject)]
            XCTAssertEqual(results.map(\.status).sorted(), [0, 1], "\(reference): \(results.map(\.error))")
            let loser = try XCTUnwrap(results.first { $0.status == 1 })
            XCTAssertTrue(loser.error.contains("cannot"), loser.error)
            XCTAssertFalse(loser.error.contains("locked"), loser.error)
        }
    }

    func testExportJSONFollowsTheSchemaAndCSVReadsBackWithACSVLibrary() throws {
        for reference in ["GCR-PR-000001", "GCR-PL-000001", "GCR-UP-000001", "GCR-UP-000002"] {
            XCTAssertEqual(try gcr("review", "approve", reference, "--reviewer", "ana").status, 0)
        }
        let folder = NSTemporaryDirectory() + "export-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        let jsonFile = folder + "/approved.json"
        XCTAssertEqual(try gcr("export", "--status", "approved", "--format", "json", "--out", jsonFile).status, 0)
        try validate(jsonFile)
        let objects = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: jsonFile))) as? [[String: Any]])
        XCTAssertEqual(objects.map { $0["reference"] as? String }, ["GCR-PR-000001", "GCR-PL-000001", "GCR-UP-000001"], "the update without consent is left out")
        let practice = try XCTUnwrap(objects.first?["answers"] as? [String: Any])
        XCTAssertEqual(practice["countries"] as? [[String: String]], [["id": "KE", "label": "Kenya"], ["id": "UG", "label": "Uganda"]])
        XCTAssertEqual((practice["submitter_entity_type"] as? [String: String])?["id"], "refugee_led_org")
        XCTAssertEqual(practice["end_year"] as? String, "ongoing")
        XCTAssertEqual(practice["start_year"] as? Int, 2019)
        XCTAssertNil(practice["submitter_name"], "personal fields only on request")
        XCTAssertNil(practice["contact_email"])
        XCTAssertEqual((objects.first?["decision"] as? [String: Any])?["reviewer"] as? String, "ana")

        let everything = folder + "/all.json"
        XCTAssertEqual(try gcr("export", "--status", "all", "--include-unpublishable", "--include-personal", "--out", everything).status, 0)
        try validate(everything)
        let all = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: everything))) as? [[String: Any]])
        XCTAssertEqual(all.count, 4)
        XCTAssertEqual((all.first?["answers"] as? [String: Any])?["contact_email"] as? String, "amina@example.org")

        let csvFile = folder + "/approved.csv"
        XCTAssertEqual(try gcr("export", "--format", "csv", "--out", csvFile).status, 0)
        let csv = try CSV<Named>(url: URL(fileURLWithPath: csvFile), encoding: .utf8)
        XCTAssertEqual(Array(csv.header.prefix(3)), ["reference", "kind", "review_status"])
        XCTAssertEqual(Set(csv.header).count, csv.header.count, "every column has its own name")
        XCTAssertTrue(csv.header.contains("gcr_objectives") && csv.header.contains("pledge_title") && csv.header.contains("progress"), "\(csv.header)")
        XCTAssertFalse(csv.header.contains("contact_email"))
        XCTAssertEqual(csv.rows.count, 3)
        XCTAssertEqual(csv.rows[0]["title"], "Écoles solaires de Kakuma")
        XCTAssertEqual(csv.rows[0]["countries"], "KE; UG")
        XCTAssertEqual(csv.rows[0]["description"], "Nous avons installé des panneaux solaires dans 12 écoles du camp pour que les élèves puissent étudier le soir.")
        XCTAssertEqual(csv.rows[1]["support_type"], "financial; technical")
        XCTAssertEqual(csv.rows[1]["amount_usd"], "250000")
        XCTAssertEqual(csv.rows[1]["title"], "", "a column of another form is empty")
        XCTAssertEqual(csv.rows[2]["decision"], "approved")
        let pledgesOnly = try gcr("export", "--format", "csv", "--kind", "pledge")
        let parsed = try CSV<Named>(string: pledgesOnly.output)
        XCTAssertEqual(parsed.rows.map { $0["reference"] }, ["GCR-PL-000001"])
        XCTAssertFalse(parsed.header.contains("title"), "only the pledge's columns")
        XCTAssertEqual(try gcr("export", "--format", "xml").status, 2)
        XCTAssertEqual(try gcr("export", "--out", "/nonexistent/dir/x.json").status, 2)
    }

    /// Validates with Python's jsonschema (Draft 2020-12, formats checked) against schemas/export.schema.json.
    private func validate(_ file: String) throws {
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); data = json.load(open(sys.argv[2]))
            jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
            print("valid", len(data))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, CLI.root.appendingPathComponent("schemas/export.schema.json").path, file]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "export does not follow the schema: \(text)")
        XCTAssertTrue(text.hasPrefix("valid"), text)
    }

    func testStatsCountSubmissionsAndTheMedianTimeToReview() throws {
        var stats = try XCTUnwrap(try json(try gcr("stats", "--json")) as? [String: Any])
        XCTAssertEqual(stats["total"] as? Int, 4)
        XCTAssertNil(stats["median_hours_to_review"] as? Double)
        XCTAssertEqual(try gcr("review", "approve", "GCR-PL-000001", "--reviewer", "ana").status, 0)
        XCTAssertEqual(try gcr("review", "reject", "GCR-UP-000002", "--reviewer", "ana", "--reason", "no consent").status, 0)
        // Rejected items are left out unless asked; pledges and updates are counted apart.
        stats = try XCTUnwrap(try json(try gcr("stats", "--json")) as? [String: Any])
        XCTAssertEqual(stats["total"] as? Int, 3)
        XCTAssertEqual(stats["rejected"] as? Int, 1)
        XCTAssertEqual(stats["by_kind"] as? [String: Int], ["good_practice": 1, "pledge": 1, "pledge_update": 1])
        XCTAssertEqual(stats["by_status"] as? [String: Int], ["submitted": 2, "approved": 1])
        XCTAssertEqual(stats["by_language"] as? [String: Int], ["fr": 1, "en": 2])
        XCTAssertEqual(stats["by_channel"] as? [String: Int], ["terminal": 3])
        XCTAssertEqual(stats["by_entity_type"] as? [String: Int], ["refugee_led_org": 1, "private_sector": 1])
        XCTAssertEqual(stats["by_pledge_status"] as? [String: Int], ["planned": 1], "pledges only")
        XCTAssertEqual(stats["by_update_status"] as? [String: Int], ["in_progress": 1], "updates only, the rejected one left out")
        XCTAssertEqual(stats["reviewed"] as? Int, 2)
        let median = try XCTUnwrap(stats["median_hours_to_review"] as? Double)
        XCTAssertTrue(median >= 0 && median < 1, "\(median)")
        let all = try XCTUnwrap(try json(try gcr("stats", "--json", "--include-rejected")) as? [String: Any])
        XCTAssertEqual(all["total"] as? Int, 4)
        XCTAssertEqual(all["by_status"] as? [String: Int], ["submitted": 2, "approved": 1, "rejected": 1])
        XCTAssertEqual(all["by_update_status"] as? [String: Int], ["in_progress": 2])
        XCTAssertEqual(all["by_objective"] as? [String: Int], ["ease_pressure_on_hosts": 2, "refugee_self_reliance": 2])
        let text = try gcr("stats")
        XCTAssertTrue(text.output.contains("Submissions: 3 (1 rejected left out") && text.output.contains("Updates by stage reported: in_progress 1"), text.output)
    }

    func testContactsShowAndForget() throws {
        let shown = try gcr("contacts", "show", "amina")
        XCTAssertEqual(shown.status, 0, shown.error)
        XCTAssertTrue(shown.output.contains("Contact #1: terminal amina") && shown.output.contains("GCR-PR-000001"), shown.output)
        let dossier = try XCTUnwrap(try json(try gcr("contacts", "show", "amina", "--json")) as? [String: Any])
        XCTAssertGreaterThan((dossier["messages"] as? [Any])?.count ?? 0, 20)
        XCTAssertEqual(try gcr("review", "approve", "GCR-PR-000001", "--reviewer", "ana").status, 0)
        let forgotten = try gcr("contacts", "forget", "amina", "--by", "dpo")
        XCTAssertEqual(forgotten.status, 0, forgotten.error)
        XCTAssertTrue(forgotten.output.contains("1 approved submission(s) kept anonymised"), forgotten.output)
        XCTAssertEqual(try gcr("contacts", "show", "amina").status, 3)
        XCTAssertEqual(try gcr("contacts", "forget", "amina").status, 3)
        let kept = try gcr("review", "show", "GCR-PR-000001")
        XCTAssertTrue(kept.output.contains("contributor erased") && kept.output.contains("dpo  anonymised"), kept.output)
        XCTAssertFalse(kept.output.contains("Amina Yusuf"), "the name was a personal field")
    }

    func testContributorsTextCannotDriveTheOperatorsTerminal() throws {
        let hostile = "Eve\u{1B}[2J\u{1B}]0;owned\u{07}\u{1B}]8;;http://127.0.0.1/x\u{1B}\\link\u{9B}31m\u{202E}txt"
        try IntakeDatabase(path: db).writer.write { db in
            try db.execute(
                sql: "INSERT INTO contact (channel, address, display_name, language, created_at) VALUES ('telegram', '4242', ?, 'en', ?)",
                arguments: [hostile, Date()])
            try db.execute(
                sql: "INSERT INTO inbound (channel, external_id, contact_id, sender, raw_size, text, received_at, outcome) VALUES ('telegram', 'x1', last_insert_rowid(), '4242', 1, ?, ?, 'processed')",
                arguments: [hostile, Date()])
        }
        for arguments in [["contacts", "show", "4242"], ["contacts", "show", "4242", "--json"]] {
            let shown = try CLI.run(arguments + ["--db", db])
            XCTAssertEqual(shown.status, 0, shown.error)
            XCTAssertTrue(shown.output.contains("Eve"), shown.output)
            for control in ["\u{1B}", "\u{07}", "\u{9B}", "\u{202E}"] {
                XCTAssertFalse(shown.output.contains(control), "\(arguments): a control character reached the terminal")
            }
        }
    }

    func testDigestQueuesOneEmailForReviewers() throws {
        let digest = try gcr("review", "digest", "--to", "reviewers@example.org")
        XCTAssertEqual(digest.status, 0, digest.error)
        XCTAssertTrue(digest.output.contains("Digest of 4 item(s) queued for reviewers@example.org"), digest.output)
        let row = try XCTUnwrap(try IntakeDatabase(path: db).writer.read { db in try OutboxMessage.filter(Column("recipient") == "reviewers@example.org").fetchOne(db) })
        XCTAssertEqual(row.channel, .email)
        XCTAssertEqual(row.subject, "GCR Intake: 4 item(s) waiting for review")
        let lines = row.body.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[1].hasPrefix("GCR-PR-000001") && lines[4].hasPrefix("GCR-UP-000002"), row.body)
        XCTAssertTrue(row.html?.contains("Écoles solaires de Kakuma") ?? false)
        XCTAssertEqual(try gcr("review", "digest", "--to", "not an address").status, 2)
    }
}
