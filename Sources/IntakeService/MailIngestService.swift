import Foundation
import GRDB
import IntakeMail
import IntakeStore
import Logging
import ServiceLifecycle

/// Reads the IMAP mailbox: fetches new messages by UID in batches, commits each (with the engine's
/// replies) to SQLite, and only then acknowledges it on the server (\Seen, or a move). Waits with
/// IDLE when the server offers it, else polls; reconnects with backoff when the connection drops.
public struct MailIngestService: Service {
    let config: Config.IMAP
    let processor: InboundProcessor
    let mail: MailInbound
    let logger: Logger

    public init(config: Config.IMAP, processor: InboundProcessor, mail: MailInbound, logger: Logger) {
        self.config = config
        self.processor = processor
        self.mail = mail
        self.logger = logger
    }

    public func run() async throws {
        let signal = StopSignal()
        // A graceful shutdown becomes a cancellation, and a cancellation stops the loop on its thread.
        try await cancelWhenGracefulShutdown {
            try await withTaskCancellationHandler {
                _ = try await Blocking.run { [self] in loop(signal) }
            } onCancel: {
                signal.stop()
            }
        }
    }

    /// The ingest loop, on its own thread.
    func loop(_ signal: StopSignal) {
        var backoff = 1.0
        while !signal.isStopped {
            do {
                let session = try IMAPSession(url: config.url, user: config.user, password: config.password)
                logger.info("IMAP connected", metadata: ["server": "\(config.url)", "mailbox": "\(config.mailbox)", "idle": "\(session.supportsIdle)"])
                if let processed = config.processedMailbox { session.create(processed) }
                backoff = 1
                while !signal.isStopped {
                    try sync(session, signal)
                    if session.supportsIdle {
                        _ = try signal.whileWaiting(wake: { session.interruptIdle() }) { try session.idle(seconds: config.pollSeconds) }
                    } else {
                        signal.sleep(Double(config.pollSeconds))
                    }
                }
            } catch {
                logger.warning("IMAP connection lost, reconnecting", metadata: ["error": "\(error)", "retry_in_s": "\(backoff)"])
                signal.sleep(backoff)
                backoff = min(backoff * 2, 60)
            }
        }
        logger.info("IMAP ingest stopped")
    }

    /// One pass: acknowledge what was committed but not yet acknowledged, then fetch and commit what is new.
    func sync(_ session: IMAPSession, _ signal: StopSignal) throws {
        let database = processor.database
        let (validity, uidNext) = try session.select(config.mailbox)
        var progress = try database.mailboxProgress(config.mailbox)
        if progress?.uidValidity != validity {
            if progress != nil { logger.notice("UIDVALIDITY changed: rescanning the mailbox", metadata: ["mailbox": "\(config.mailbox)"]) }
            try database.resetMailbox(config.mailbox, uidValidity: validity)
            progress = MailboxProgress(uidValidity: validity, lastUid: 0)
        }
        try acknowledge(try database.pendingAcks(config.mailbox, uidValidity: validity), session: session, validity: validity)
        var next = progress!.lastUid + 1
        while next < uidNext, !signal.isStopped {
            let last = min(uidNext - 1, next + UInt32(config.batchSize) - 1)
            var committed: [UInt32] = []
            for (uid, raw) in try session.fetch(uids: next, through: last) {
                if signal.isStopped { break }
                try commit(raw, uid: uid, validity: validity)
                committed.append(uid)
            }
            try acknowledge(committed, session: session, validity: validity)
            if signal.isStopped { break }
            next = last + 1
            try database.pool.write { db in
                try db.execute(sql: "UPDATE mailbox_state SET last_uid = max(last_uid, ?) WHERE mailbox = ?", arguments: [last, config.mailbox])
            }
        }
    }

    /// The message, its replies and the note that it awaits acknowledgement: one transaction.
    private func commit(_ raw: Data, uid: UInt32, validity: UInt32) throws {
        let message = mail.message(from: raw, receivedAt: Date())
        let outcome = try processor.database.pool.write { db -> InboundOutcome in
            let outcome = try processor.process(message, now: Date(), db: db)
            try IntakeDatabase.noteFetched(mailbox: config.mailbox, uidValidity: validity, uid: uid, db: db)
            return outcome
        }
        if outcome.erasedSomeone { processor.database.truncateLog() }
        switch outcome {
        case .processed(let done):
            logger.info("mail processed", metadata: ["uid": "\(uid)", "inbound": "\(done.inboundId)", "replies": "\(done.outboxIds.count)"])
        case .duplicate:
            logger.info("mail already seen", metadata: ["uid": "\(uid)"])
        case .recorded(let id, let outcome, let reason):
            // The reason stays in the database (inbound.error): it may quote the mail, which the log never does.
            _ = reason
            logger.notice("mail recorded without answer", metadata: ["uid": "\(uid)", "inbound": "\(id)", "outcome": "\(outcome)"])
        }
    }

    private func acknowledge(_ uids: [UInt32], session: IMAPSession, validity: UInt32) throws {
        guard !uids.isEmpty else { return }
        if let processed = config.processedMailbox {
            try session.move(uids, to: processed)
        } else {
            try session.markSeen(uids)
        }
        try processor.database.clearAcks(config.mailbox, uidValidity: validity, uids: uids)
    }
}
