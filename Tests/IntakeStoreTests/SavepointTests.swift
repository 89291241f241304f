import Foundation
import GRDB
@testable import IntakeStore
import XCTest

/// A message that fails inside a batch transaction is undone alone; the others in the batch are committed.
final class SavepointTests: XCTestCase {
    struct Broken: Error {}

    func testAFailedMessageIsUndoneAloneAndTheBatchCommits() throws {
        let h = try StoreHarness()
        defer { h.remove() }
        try h.database.writer.write { db in
            try db.execute(sql: "CREATE TABLE t (v TEXT)")
            for value in ["a", "b", "c"] {
                _ = try? Savepoint.run(db) {
                    try db.execute(sql: "INSERT INTO t (v) VALUES (?)", arguments: [value])
                    if value == "b" { throw Broken() }
                }
            }
            let kept = try String.fetchAll(db, sql: "SELECT v FROM t ORDER BY v")
            XCTAssertEqual(kept, ["a", "c"], "b was rolled back, a and c stay")
        }
        XCTAssertEqual(try h.database.writer.read { db in try String.fetchAll(db, sql: "SELECT v FROM t ORDER BY v") }, ["a", "c"], "committed")
        XCTAssertThrowsError(try h.database.writer.write { db in try Savepoint.run(db) { throw Broken() } }) { XCTAssertTrue($0 is Broken) }
    }
}
