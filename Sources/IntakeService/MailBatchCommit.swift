import Foundation
import IntakeCore
import GRDB
import IntakeStore
import Logging

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
        processor.database.pool.asyncWrite(
            { db -> (committed: [UInt32], outcomes: [InboundOutcome], failure: Error?) in
                var committed: [UInt32] = []
                var outcomes: [InboundOutcome] = []
                for (uid, message) in batch {
                    do {
                        let outcome = try Savepoint.run(db) {
                            let outcome = try processor.process(message, now: Date(), db: db)
                            try IntakeDatabase.noteFetched(mailbox: mailbox, uidValidity: validity, uid: uid, db: db)
                            return outcome
                        }
                        committed.append(uid)
                        outcomes.append(outcome)
                    } catch {
                        // Those before it stay committed; it and the rest are fetched again.
                        if let done = committed.last { try IntakeDatabase.noteScanned(mailbox: mailbox, uidValidity: validity, through: done, db: db) }
                        return (committed, outcomes, error)
                    }
                }
                // UIDs of the range with no message (expunged) are passed too.
                try IntakeDatabase.noteScanned(mailbox: mailbox, uidValidity: validity, through: last, db: db)
                return (committed, outcomes, nil)
            },
            completion: { db, written in
                processor.metrics?.observe(.commit, channel: Channel.email.rawValue, nanoseconds: DispatchTime.now().uptimeNanoseconds &- started)
                switch written {
                case .success(let (committed, outcomes, failure)):
                    // On the writer's own connection: this completion runs on it, so a new write here would deadlock.
                    if outcomes.contains(where: \.erasedSomeone) { IntakeDatabase.truncateLog(db) }
                    if !committed.isEmpty { processor.database.outboxBell.ring() }
                    for (uid, outcome) in zip(committed, outcomes) { Self.log(outcome, uid: uid, logger) }
                    commit.committed = committed
                    commit.failure = failure
                case .failure(let error):
                    commit.failure = error
                }
                commit.done.signal()
            })
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
