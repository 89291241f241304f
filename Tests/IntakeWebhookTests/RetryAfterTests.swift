import Foundation
import IntakeWebhook
import XCTest

/// Retry-After as RFC 9110 has it, and nothing else.
final class RetryAfterTests: XCTestCase {
    func testWholeSecondsAndHTTPDates() {
        XCTAssertEqual(RetryAfter.seconds("120"), 120)
        XCTAssertEqual(RetryAfter.seconds(" 0 "), 0)
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        XCTAssertEqual(RetryAfter.seconds("Sun, 06 Nov 1994 08:50:37 GMT", now: now), 60)
        XCTAssertEqual(RetryAfter.seconds("Sun, 06 Nov 1994 08:40:37 GMT", now: now), 0, "a date in the past means now")
    }

    func testEverythingElseIsIgnoredNeverInfiniteNorNegative() {
        for value in ["1e18", "inf", "-inf", "nan", "1e300", "-5", "1.5", "soon", "", "0x10", "٣"] {
            XCTAssertNil(RetryAfter.seconds(value), value)
        }
        let huge = RetryAfter.seconds("99999999999999999999999")
        XCTAssertNotNil(huge)
        XCTAssertTrue(huge!.isFinite)
    }
}
