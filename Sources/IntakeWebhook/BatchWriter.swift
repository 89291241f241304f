import Foundation
import IntakeCore
import GRDB
import IntakeStore
import IntakePipeline

/// Group commit for webhook requests: messages arriving together are processed in one SQLite
/// transaction (one fsync), each in its own savepoint, and every caller is answered only after
/// that transaction is committed. Durability is the same as one transaction each; the cost is shared.
public final class BatchWriter: @unchecked Sendable {
    // @unchecked: `pending` and `draining` are only touched under `lock`.
    private struct Job {
        let messages: [InboundMessage]
        let continuation: CheckedContinuation<[Result<InboundOutcome, Error>], Never>
    }

    private let processor: InboundProcessor
    private let lock = NSLock()
    private var pending: [Job] = []
    private var draining = false
    public let maxBatch: Int

    public init(processor: InboundProcessor, maxBatch: Int = 256) {
        self.processor = processor
        self.maxBatch = maxBatch
    }

    /// Commits `messages` (with the replies they cause) and returns what became of each.
    public func submit(_ messages: [InboundMessage]) async -> [Result<InboundOutcome, Error>] {
        guard !messages.isEmpty else { return [] }
        return await withCheckedContinuation { continuation in
            let startDrain: Bool = lock.withLock {
                pending.append(Job(messages: messages, continuation: continuation))
                if draining { return false }
                draining = true
                return true
            }
            if startDrain { Task { await self.drain() } }
        }
    }

    /// Takes everything queued, commits it as one transaction, answers, and repeats until the queue is empty.
    private func drain() async {
        while true {
            let jobs: [Job] = lock.withLock {
                let taken = Array(pending.prefix(maxBatch))
                pending.removeFirst(taken.count)
                if taken.isEmpty { draining = false }
                return taken
            }
            if jobs.isEmpty { return }
            let now = Date()
            let processor = self.processor
            let jobMessages = jobs.map(\.messages)
            let started = DispatchTime.now().uptimeNanoseconds
            let results = await processor.commit(jobMessages, now: now)
            processor.metrics?.observe(.commit, channel: "webhook", nanoseconds: DispatchTime.now().uptimeNanoseconds &- started)
            if results.joined().contains(where: { (try? $0.get())?.erasedSomeone == true }) { processor.database.truncateLog() }
            processor.database.outboxBell.ring()
            for (job, result) in zip(jobs, results) { job.continuation.resume(returning: result) }
        }
    }
}
