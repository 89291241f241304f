import Foundation
import GRDB
import IntakeCore
import IntakeMail
import IntakeStore
import IntakeWebhook
import Logging
import ServiceLifecycle
import IntakePipeline

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
    /// A pipeline: while one batch is committed (one transaction), the next is fetched and decoded; a
    /// batch's UIDs are acknowledged only after its transaction is committed.
    func sync(_ session: IMAPSession, _ signal: StopSignal) throws {
        let database = processor.database
        let (validity, uidNext) = try session.select(config.mailbox)
        let progress = try database.mailboxProgress(config.mailbox)
        var lastUid = progress?.lastUid ?? 0
        if progress?.uidValidity != validity {
            if progress != nil { logger.notice("UIDVALIDITY changed: rescanning the mailbox", metadata: ["mailbox": "\(config.mailbox)"]) }
            try database.resetMailbox(config.mailbox, uidValidity: validity)
            lastUid = 0
        }
        try acknowledge(try database.pendingAcks(config.mailbox, uidValidity: validity), session: session, validity: validity)
        var next = lastUid + 1
        var committing: MailBatchCommit?
        // Whatever happens, a batch handed to the writer is waited for and what it committed acknowledged.
        defer { if let committing { try? acknowledge(committing.wait().committed, session: session, validity: validity) } }
        while next < uidNext, !signal.isStopped {
            let last = min(uidNext - 1, next + UInt32(config.batchSize) - 1)
            let fetched = try session.fetch(uids: next, through: last)
            let now = Date()
            let batch = fetched.map { raw in
                (
                    uid: raw.uid,
                    message: processor.metrics.time(.decode, channel: Channel.email.rawValue) {
                        var message = mail.message(from: raw.data, receivedAt: now)
                        message.guessLanguage(catalog: processor.engine.catalog)  // on this thread, not in the writer
                        return message
                    }
                )
            }
            if let previous = committing {
                committing = nil
                try finish(previous, session: session, validity: validity)
            }
            if signal.isStopped { break }
            committing = MailBatchCommit.start(batch, through: last, mailbox: config.mailbox, validity: validity, processor: processor, logger: logger)
            next = last + 1
        }
        if let previous = committing {
            committing = nil
            try finish(previous, session: session, validity: validity)
        }
    }

    /// Acknowledges what a batch committed; a mail that failed stops the pass (it is fetched again).
    private func finish(_ commit: MailBatchCommit, session: IMAPSession, validity: UInt32) throws {
        let (committed, failure) = commit.wait()
        try acknowledge(committed, session: session, validity: validity)
        if let failure {
            logger.warning("mail not processed; it is fetched again", metadata: ["after_uid": "\(committed.last ?? 0)", "error": "\(type(of: failure))"])
            throw failure
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
