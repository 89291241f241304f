import Foundation

/// Rung after a commit that queued replies, so the outbox lanes send them at once instead of finding them
/// at their next poll. A lane notes `rings` before it looks for due rows and waits with that number: a ring
/// in between is not lost. Rows queued by another process (the review CLI) are still found by the poll.
public final class OutboxBell: @unchecked Sendable {
    // @unchecked: `count` and `waiters` are only touched under `lock`.
    private let lock = NSLock()
    private var count = 0
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    /// The timeout of each waiter, cancelled when a ring ends the wait first (no sleeping task left behind).
    private var timers: [UUID: Task<Void, Never>] = [:]

    public init() {}

    public var rings: Int { lock.withLock { count } }

    public func ring() {
        let (woken, stopped) = lock.withLock {
            count += 1
            defer {
                waiters = [:]
                timers = [:]
            }
            return (Array(waiters.values), Array(timers.values))
        }
        for timer in stopped { timer.cancel() }
        for waiter in woken { waiter.resume() }
    }

    /// Returns at the first ring after `seen`, after `seconds`, or on cancellation, whichever comes first.
    public func wait(seconds: Double, after seen: Int) async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let rungAlready = lock.withLock {
                    if count != seen || Task.isCancelled { return true }
                    waiters[id] = continuation
                    return false
                }
                if rungAlready { return continuation.resume() }
                let timer = Task {
                    try? await Task.sleep(for: .milliseconds(Int(max(0.001, min(seconds, 3_600)) * 1000)))
                    self.release(id)
                }
                // A ring may have come already: then this timer is not kept (it ends at its timeout, a no-op).
                let kept = lock.withLock {
                    guard waiters[id] != nil else { return false }
                    timers[id] = timer
                    return true
                }
                if !kept { timer.cancel() }
            }
        } onCancel: {
            release(id)
        }
    }

    private func release(_ id: UUID) {
        let (waiter, timer) = lock.withLock { (waiters.removeValue(forKey: id), timers.removeValue(forKey: id)) }
        timer?.cancel()
        waiter?.resume()
    }
}
