import Foundation

/// Tells a blocking loop on its own thread to stop, and wakes it from a sleep or an IMAP IDLE.
final class StopSignal: @unchecked Sendable {
    // @unchecked: all state is guarded by `lock`; the semaphore is thread-safe by itself.
    private let lock = NSLock()
    private var stopped = false
    private var wakers: [@Sendable () -> Void] = []
    private let semaphore = DispatchSemaphore(value: 0)

    var isStopped: Bool { lock.withLock { stopped } }

    func stop() {
        let toWake: [@Sendable () -> Void] = lock.withLock {
            stopped = true
            return wakers
        }
        toWake.forEach { $0() }
        semaphore.signal()
    }

    /// Sleeps up to `seconds`; returns early when stopped.
    func sleep(_ seconds: Double) {
        guard !isStopped else { return }
        _ = semaphore.wait(timeout: .now() + seconds)
        if isStopped { semaphore.signal() }  // keep later sleeps short too
    }

    /// Runs `body` with `wake` called if a stop arrives meanwhile (to interrupt a blocking wait).
    func whileWaiting<T>(wake: @escaping @Sendable () -> Void, _ body: () throws -> T) rethrows -> T {
        lock.withLock { wakers.append(wake) }
        defer { lock.withLock { wakers.removeAll() } }
        if isStopped { wake() }
        return try body()
    }
}

