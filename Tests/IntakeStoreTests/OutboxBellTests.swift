import Foundation
import IntakeStore
import XCTest

/// The bell that wakes the outbox lanes: a ring is never lost, and a wait without one ends at its timeout.
final class OutboxBellTests: XCTestCase {
    func testARingBeforeTheWaitIsNotLost() async {
        let bell = OutboxBell()
        let seen = bell.rings
        bell.ring()
        let started = Date()
        await bell.wait(seconds: 30, after: seen)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "rung between the look and the wait: no wait at all")
    }

    func testARingWakesEveryWaiter() async {
        let bell = OutboxBell()
        let seen = bell.rings
        let started = Date()
        async let first: Void = bell.wait(seconds: 30, after: seen)
        async let second: Void = bell.wait(seconds: 30, after: seen)
        while bell.rings == seen && Date().timeIntervalSince(started) < 5 {
            bell.ring()
            try? await Task.sleep(for: .milliseconds(10))
        }
        _ = await (first, second)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testWithoutARingTheWaitEndsAtItsTimeout() async {
        let bell = OutboxBell()
        let started = Date()
        await bell.wait(seconds: 0.2, after: bell.rings)
        let waited = Date().timeIntervalSince(started)
        XCTAssertGreaterThanOrEqual(waited, 0.19)
        XCTAssertLessThan(waited, 5)
    }

    func testACancelledWaitEnds() async {
        let bell = OutboxBell()
        let task = Task { await bell.wait(seconds: 30, after: bell.rings) }
        let started = Date()
        task.cancel()
        await task.value
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }
}
