import Foundation
import GRDB
import IntakeCore
import IntakeExport
@testable import IntakeStore
import XCTest

/// Exports read values written long ago by anyone: they never trap and never hand a spreadsheet a formula.
final class ExportHardeningTests: XCTestCase {
    var h: StoreHarness!

    override func setUpWithError() throws { h = try StoreHarness() }
    override func tearDown() { h.remove() }

    private func approvedWith(_ change: (inout [String: Answer]) -> Void) throws -> String {
        let reference = try h.submitUpdate(from: "+15550100", email: "x@example.org")
        try h.database.writer.write { db in
            var submission = try Submission.filter(Column("reference") == reference).fetchOne(db)!
            var answers = try submission.decodedAnswers()
            change(&answers)
            submission.answers = String(decoding: try JSONEncoder().encode(answers), as: UTF8.self)
            try submission.update(db)
        }
        try h.desk.act(.approve, reference: reference, reviewer: "ana", note: nil, at: h.clock)
        return reference
    }

    private var everything: Exporter.Options {
        Exporter.Options(statuses: [.approved], kind: nil, includeUnpublishable: true, includePersonal: false)
    }

    func testANumberTooLargeForAnIntegerIsExportedAsANumber() throws {
        _ = try approvedWith { $0["progress"] = .number(1e20) }
        let json = try Exporter(database: h.database, catalog: StoreFixtures.catalog).json(everything)
        let objects = try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
        XCTAssertEqual((objects[0]["answers"] as? [String: Any])?["progress"] as? Double, 1e20)
    }

    func testCellsThatASpreadsheetWouldRunAreNeutralised() throws {
        _ = try approvedWith { $0["progress"] = .text("=HYPERLINK(\"http://127.0.0.1/x\",\"click\")") }
        let csv = String(decoding: try Exporter(database: h.database, catalog: StoreFixtures.catalog).csv(everything), as: UTF8.self)
        XCTAssertTrue(csv.contains("'=HYPERLINK("), csv)
        XCTAssertFalse(csv.contains(",=HYPERLINK") || csv.contains(",\"=HYPERLINK"), csv)
        for formula in ["+1+1", "-1+1", "@SUM(A1)", "\tx"] {
            XCTAssertEqual(Exporter.inertCell(formula), "'" + formula)
        }
        XCTAssertEqual(Exporter.inertCell("Solar lamps"), "Solar lamps")
        let header = csv.split(whereSeparator: \.isNewline)[0].split(separator: ",").map(String.init)
        XCTAssertEqual(Set(header).count, header.count, "no two columns share a name: \(header)")
        XCTAssertTrue(header.contains("review_status") && header.contains("pledge_status"), "\(header)")
    }
}
