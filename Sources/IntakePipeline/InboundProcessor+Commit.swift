import Foundation
import GRDB
import IntakeCore
@_spi(Pipeline) import IntakeStore

// The transactions the channels commit their messages in: group commits of webhook deliveries, batches
// of fetched mail, and the resumption of messages that waited.
extension InboundProcessor {
    /// One transaction for groups of messages (the webhooks' group commit): each message in a savepoint of
    /// its own, so one that fails is undone alone and the rest commit. If the transaction itself fails,
    /// every message fails with its error (nothing of it was kept).
    public func commit(_ groups: [[InboundMessage]], now: Date) async -> [[Result<InboundOutcome, Error>]] {
        do {
            return try await database.pipelineWriter.write { db in
                groups.map { messages in
                    messages.map { message in Result { try Savepoint.run(db) { try self.process(message, now: now, db: db) } } }
                }
            }
        } catch {
            return groups.map { $0.map { _ in .failure(error) } }
        }
    }

    /// What one transaction of fetched mail did: the UIDs committed (in order) with their outcomes, and the
    /// error that stopped it, if one did (that message and those after it are fetched again).
    public struct MailCommit: Sendable {
        public let committed: [UInt32]
        public let outcomes: [InboundOutcome]
        public let failure: Error?
    }

    /// Commits a batch of mail fetched from `mailbox` in one transaction, without waiting: each message in
    /// a savepoint, with the mailbox's progress (so a UID is acknowledged on the server only once this is
    /// committed), up to `last` when every message went in. `completion` runs once it is over.
    public func commitMail(
        _ batch: [(uid: UInt32, message: InboundMessage)], through last: UInt32, mailbox: String, validity: UInt32,
        completion: @escaping @Sendable (Result<MailCommit, Error>) -> Void
    ) {
        database.pipelineWriter.asyncWrite(
            { db -> MailCommit in
                var committed: [UInt32] = []
                var outcomes: [InboundOutcome] = []
                for (uid, message) in batch {
                    do {
                        let outcome = try Savepoint.run(db) {
                            let outcome = try self.process(message, now: Date(), db: db)
                            try IntakeDatabase.noteFetched(mailbox: mailbox, uidValidity: validity, uid: uid, db: db)
                            return outcome
                        }
                        committed.append(uid)
                        outcomes.append(outcome)
                    } catch {
                        // Those before it stay committed; it and the rest are fetched again.
                        if let done = committed.last { try IntakeDatabase.noteScanned(mailbox: mailbox, uidValidity: validity, through: done, db: db) }
                        return MailCommit(committed: committed, outcomes: outcomes, failure: error)
                    }
                }
                // UIDs of the range with no message (expunged) are passed too.
                try IntakeDatabase.noteScanned(mailbox: mailbox, uidValidity: validity, through: last, db: db)
                return MailCommit(committed: committed, outcomes: outcomes, failure: nil)
            },
            completion: { db, written in
                // On the writer's own connection: this completion runs on it, so a new write here would deadlock.
                if case .success(let done) = written, done.outcomes.contains(where: \.erasedSomeone) { IntakeDatabase.truncateLog(db) }
                completion(written)
            })
    }

    /// Answers messages that waited (outbox full, reply cap) as far as room allows; returns the outbox's
    /// backlog after and how many were answered.
    public func resumeDeferred(now: Date) async throws -> (backlog: Int, resumed: Int) {
        try await database.pipelineWriter.write { db in
            let resumed = try self.resumeDeferred(now: now, db: db)
            return (try OutboxMessage.backlog(db), resumed)
        }
    }
}
