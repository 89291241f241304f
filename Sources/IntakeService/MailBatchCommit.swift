import Foundation
import IntakeCore
import IntakeStore
import Logging
import IntakePipeline

/// One IMAP batch committed in one transaction on the writer, while the ingest thread fetches the next:
/// each mail in its own savepoint with its replies and the note that it awaits acknowledgement. `wait`
/// gives the UIDs committed, to acknowledge, or the error that stopped the batch (the mails before it
/// stay committed; the failing one and those after it are fetched again on the next pass).
final class MailBatchCommit: @unchecked Sendable {
    // @unchecked: `result` is written once by the writer before `done` is signalled, and read after.
    private let done = DispatchSemaphore(value: 0)
    private var committed: [UInt32] = []
    private var failure: Error?

    static func start(
        _ batch: [(uid: UInt32, message: InboundMessage)], through last: UInt32, mailbox: String, validity: UInt32, processor: InboundProcessor,
        logger: Logger
    ) -> MailBatchCommit {
        let commit = MailBatchCommit()
        let started = DispatchTime.now().uptimeNanoseconds
        processor.commitMail(batch, through: last, mailbox: mailbox, validity: validity) { written in
            processor.metrics?.observe(.commit, channel: Channel.email.rawValue, nanoseconds: DispatchTime.now().uptimeNanoseconds &- started)
            switch written {
            case .success(let done):
                if !done.committed.isEmpty { processor.database.outboxBell.ring() }
                for (uid, outcome) in zip(done.committed, done.outcomes) { Self.log(outcome, uid: uid, logger) }
                commit.committed = done.committed
                commit.failure = done.failure
            case .failure(let error):
                commit.failure = error
            }
            commit.done.signal()
        }
        return commit
    }

    /// Blocks until the transaction is over: the UIDs it committed, and the error that stopped it, if any.
    func wait() -> (committed: [UInt32], failure: Error?) {
        done.wait()
        done.signal()  // a second wait returns at once
        return (committed, failure)
    }

    private static func log(_ outcome: InboundOutcome, uid: UInt32, _ logger: Logger) {
        switch outcome {
        case .processed(let done):
            logger.info("mail processed", metadata: ["uid": "\(uid)", "inbound": "\(done.inboundId)", "replies": "\(done.outboxIds.count)"])
        case .duplicate:
            logger.info("mail already seen", metadata: ["uid": "\(uid)"])
        case .recorded(let id, let outcome, _):
            // The reason stays in the database (inbound.error): it may quote the mail, which the log never does.
            logger.notice("mail recorded without answer", metadata: ["uid": "\(uid)", "inbound": "\(id)", "outcome": "\(outcome)"])
        }
    }
}
