import Foundation
import GRDB
import IntakeStore
import XCTest

/// `gcr-intake campaign pledge-updates` on 1,000 pledges: the dry run lists them, the real run queues each
/// invitation once, a second run queues none; `campaign status` counts them.
final class CampaignCommandTests: XCTestCase {
    let database = NSTemporaryDirectory() + "campaign-\(UUID().uuidString).sqlite"
    let file = NSTemporaryDirectory() + "pledges-\(UUID().uuidString).csv"

    override func tearDown() {
        for path in [database, database + "-wal", database + "-shm", file] { try? FileManager.default.removeItem(atPath: path) }
    }

    func testAThousandPledgesAreInvitedOnceEach() throws {
        var csv = "id,title,entity,forum,contacts\n"
        for index in 1...1000 { csv += "GRF-\(String(format: "%05d", index)),Pledge \(index) on school places,Ministry \(index),GRF 2023,focal\(index)@example.org\n" }
        for index in 1001...1010 { csv += "GRF-\(index),Older pledge \(index),Agency,Global Refugee Forum 2019,old\(index)@example.org\n" }
        for index in 1011...1015 { csv += "GRF-\(index),Pledge without a contact \(index),Agency,grf_2023,\n" }
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try CLI.run(["pledges", "import", file, "--db", database])
        XCTAssertEqual(imported.status, 0, imported.error)

        let dry = try CLI.run(["campaign", "pledge-updates", "--forum", "GRF 2023", "--dry-run", "--db", database])
        XCTAssertEqual(dry.status, 0, dry.error)
        let listed = dry.output.split(separator: "\n").filter { $0.hasPrefix("GRF-") }
        XCTAssertEqual(listed.count, 1000)
        XCTAssertTrue(listed.allSatisfy { $0.contains("\temail\ten\t") }, "\(listed.prefix(2))")
        XCTAssertTrue(dry.output.contains("1000 pledges would be invited (dry run, nothing queued)"), dry.output)
        XCTAssertTrue(dry.output.contains("5 without a contact we can reach"), dry.output)
        XCTAssertEqual(try count("SELECT COUNT(*) FROM outbox"), 0, "a dry run queues nothing")

        let run = try CLI.run(["campaign", "pledge-updates", "--forum", "grf_2023", "--rate", "600", "--db", database])
        XCTAssertEqual(run.status, 0, run.error)
        XCTAssertTrue(run.output.contains("pledge-updates grf_2023: 1000 invitations queued"), run.output)
        XCTAssertEqual(try count("SELECT COUNT(*) FROM outbox"), 1000)
        XCTAssertEqual(try count("SELECT COUNT(DISTINCT recipient) FROM outbox"), 1000)
        XCTAssertEqual(try count("SELECT COUNT(*) FROM outbox WHERE subject = 'How is your pledge GRF-00042 going?' AND recipient = 'focal42@example.org'"), 1)
        // Paced: 600 a minute, so the last one is due 999/10 seconds after the first.
        let spread = try read { db in try Double.fetchOne(db, sql: "SELECT (julianday(MAX(next_attempt_at)) - julianday(MIN(next_attempt_at))) * 86400 FROM outbox") }
        XCTAssertEqual(try XCTUnwrap(spread), 99.9, accuracy: 0.5)

        let again = try CLI.run(["campaign", "pledge-updates", "--forum", "GRF 2023", "--db", database])
        XCTAssertEqual(again.status, 0, again.error)
        XCTAssertTrue(again.output.contains("0 invitations queued"), again.output)
        XCTAssertTrue(again.output.contains("1000 invited before in this campaign"), again.output)
        XCTAssertEqual(try count("SELECT COUNT(*) FROM outbox"), 1000)

        let status = try CLI.run(["campaign", "status", "--db", database])
        XCTAssertTrue(status.output.contains("pledge-updates grf_2023: 0 sent, 1000 waiting, 0 failed; 0 replied, 0 updated, 0 opted out"), status.output)
        XCTAssertEqual(try CLI.run(["campaign", "pledge-updates", "--forum", "GRF 1999", "--db", database]).status, 2)
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T { try DatabaseQueue(path: database).read(body) }
    private func count(_ sql: String) throws -> Int { try read { db in try Int.fetchOne(db, sql: sql) ?? 0 } }
}
