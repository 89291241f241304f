import Foundation
import IntakeService
import XCTest

/// Backoff stays finite and within its bounds whatever a provider asked for.
final class BackoffTests: XCTestCase {
    func testDoublesFromTheBaseUpToTheMaximum() {
        let backoff = Backoff(base: 5, maximum: 600)
        XCTAssertEqual((0..<9).map { backoff.delay(attempts: $0) }, [5, 10, 20, 40, 80, 160, 320, 600, 600])
        XCTAssertEqual(backoff.delay(attempts: Int.max), 600)
        XCTAssertEqual(backoff.delay(attempts: -3), 5)
    }

    func testAProviderMayAskForLongerButNeverPastTheMaximum() {
        let backoff = Backoff(base: 5, maximum: 600)
        XCTAssertEqual(backoff.delay(attempts: 0, providerAsked: 30), 30)
        XCTAssertEqual(backoff.delay(attempts: 0, providerAsked: 1e18), 600)
        XCTAssertEqual(backoff.delay(attempts: 0, providerAsked: .infinity), 5)
        XCTAssertEqual(backoff.delay(attempts: 0, providerAsked: .nan), 5)
        XCTAssertEqual(backoff.delay(attempts: 2, providerAsked: -100), 20)
    }
}
