import Foundation
import GRDB
import IntakeCore
import IntakeNotices
import IntakeMetrics

/// Handles one inbound message in one transaction: record it (once), run the conversation engine,
/// save the new state, create the submission on confirmation, and queue every reply in the outbox.
/// A channel acknowledges its source only after `process` returns.
public struct InboundProcessor: Sendable {
    public let database: IntakeDatabase
    public let engine: Engine
    public let policy: ProcessorPolicy
    /// The *received* notice sent when a contributor confirms (by chat and, when we know an address, by email).
    public let notices: NoticeQueue
    /// Per-stage timing (the engine); nil when the caller keeps no metrics.
    public var metrics: Metrics?

    public init(database: IntakeDatabase, engine: Engine, templates: NoticeTemplates, policy: ProcessorPolicy = ProcessorPolicy()) {
        self.database = database
        self.engine = engine
        self.policy = policy
        self.notices = NoticeQueue(renderer: NoticeRenderer(catalog: engine.catalog, templates: templates), messageIdDomain: policy.messageIdDomain)
    }

    public func process(_ message: InboundMessage, now: Date) throws -> InboundOutcome {
        let outcome = try database.pool.write { db in try process(message, now: now, db: db) }
        if outcome.erasedSomeone { database.truncateLog() }
        return outcome
    }

    /// The same, inside a transaction the caller holds (to commit several messages at once).
    public func process(_ message: InboundMessage, now: Date, db: Database) throws -> InboundOutcome {
        guard var inbound = try record(message, db: db) else { return .duplicate }
        if let error = message.parseError { return try finish(&inbound, "failed", error, now: now, db: db) }
        if let reason = message.doNotAnswer { return try finish(&inbound, "not_answered", reason, now: now, db: db) }
        if message.channel == "email", try EmailVerification.confirm(sender: message.sender, references: message.references, at: now, db: db) {
            return try finish(&inbound, "not_answered", "confirmed a contact address", now: now, db: db)
        }
        let contact = try contactFor(message, now: now, db: db)
        inbound.contactId = contact.id
        // A request to erase is carried out at once, whatever waits: it removes what waits too.
        let erasing = Command.parse(message.text, catalog: engine.catalog, language: contact.language) == .erase
        if !erasing, let wait = try reasonToWait(contact: contact, channel: message.channel, now: now, db: db) {
            return try postpone(&inbound, message, contact: contact, reason: wait, now: now, db: db)
        }
        return try converse(&inbound, message, contact: contact, now: now, db: db)
    }

    /// Records what became of a message that is not answered.
    private func finish(_ inbound: inout InboundRecord, _ outcome: String, _ reason: String, now: Date, db: Database) throws -> InboundOutcome {
        inbound.outcome = outcome
        inbound.error = reason
        inbound.processedAt = now
        inbound.deferred = nil
        try inbound.saveOutcome(db)
        return .recorded(inboundId: inbound.id!, outcome: outcome, reason: reason)
    }

    /// Why this contact's message must wait: their reply cap is reached, the outbox is full, or earlier
    /// messages of theirs are waiting (answered in order). Nil when it can be answered now.
    func reasonToWait(contact: Contact, channel: String, now: Date, db: Database, ignoring inboundId: Int64? = nil) throws -> String? {
        guard let contactId = contact.id else { return nil }
        if try InboundRecord.deferredCount(contactId: contactId, before: inboundId, db: db) > 0 { return "earlier messages of this contact are waiting" }
        if let cap = policy.replyCaps[channel], try OutboxMessage.count(to: contactId, since: now.addingTimeInterval(-cap.window), db: db) >= cap.count {
            return "more than \(cap.count) replies in \(Int(cap.window)) s to this contact"
        }
        if try OutboxMessage.backlog(db) >= policy.outboxCeiling { return "the outbox is full (\(policy.outboxCeiling) rows waiting)" }
        return nil
    }

    /// Keeps the message to answer later, or, past the contact's bound of waiting messages, for good.
    private func postpone(_ inbound: inout InboundRecord, _ message: InboundMessage, contact: Contact, reason: String, now: Date, db: Database) throws
        -> InboundOutcome
    {
        guard try InboundRecord.deferredCount(contactId: contact.id!, before: nil, db: db) < policy.deferredPerContact else {
            return try finish(&inbound, "rate_limited", reason + "; too many messages waiting", now: now, db: db)
        }
        inbound.outcome = "deferred"
        inbound.error = reason
        inbound.deferred = try DeferredMessage(message).jsonColumn()
        try inbound.saveOutcome(db)
        return .recorded(inboundId: inbound.id!, outcome: "deferred", reason: reason)
    }

    /// Answers waiting messages whose contact may be answered again, oldest first; returns how many.
    public func resumeDeferred(now: Date, limit: Int = 100, db: Database) throws -> Int {
        var done = 0
        var blocked = Set<Int64>()
        for var inbound in try InboundRecord.filter(Column("outcome") == "deferred").order(Column("id")).limit(limit).fetchAll(db) {
            guard let contactId = inbound.contactId, !blocked.contains(contactId), let contact = try Contact.fetchOne(db, key: contactId) else { continue }
            guard let saved = inbound.deferred, let deferred = try? DeferredMessage.fromJSONColumn(saved) else {
                _ = try finish(&inbound, "failed", "waiting message unreadable", now: now, db: db)
                continue
            }
            if try reasonToWait(contact: contact, channel: inbound.channel, now: now, db: db, ignoring: inbound.id) != nil {
                blocked.insert(contactId)
                continue
            }
            inbound.deferred = nil
            _ = try converse(&inbound, deferred.message(inbound), contact: contact, now: now, db: db)
            done += 1
        }
        return done
    }

    /// Runs the conversation on the message and queues every reply (and notices on submission).
    private func converse(_ inbound: inout InboundRecord, _ message: InboundMessage, contact: Contact, now: Date, db: Database) throws -> InboundOutcome {
        var contact = contact
        let inboundId = inbound.id!
        let contactId = contact.id!
        var record = try ConversationRecord.active(contactId: contactId, db: db)
        let state = try record?.decodedState()
        let turn = metrics.time(.engine, channel: message.channel) {
            engine.handle(message.text, fullText: message.fullText, state: state, language: contact.language, channel: message.channel)
        }
        if var existing = record {
            try existing.store(turn.state, at: now)
            record = existing
        } else {
            record = try ConversationRecord.new(contactId: contactId, state: turn.state, at: now)
        }
        try record!.saveState(db)
        let conversationId = record!.id!

        if let language = turn.languageChanged, language != contact.language {
            contact.language = language
            try contact.update(db)
        }

        var replies = turn.replies
        if message.unreadMedia { replies.insert(Reply(text: engine.catalog.pack(turn.state.language).message("media_not_read")), at: 0) }
        if policy.combinedChannels.contains(message.channel), replies.count > 1 {
            replies = [Reply(text: replies.map(\.text).joined(separator: "\n\n"), options: replies.last!.options)]
        }
        // Recorded before the notices are queued: a notice by email answers this very message.
        inbound.conversationId = conversationId
        inbound.processedAt = now
        inbound.outcome = "processed"
        inbound.error = nil
        try inbound.saveOutcome(db)
        var submitted: (Submission, ReviewEvent)?
        if case .submitted(let form, let answers) = turn.event {
            submitted = try Submission.submit(
                form: form, answers: answers, editing: turn.state.editing, catalog: engine.catalog, contact: contact, conversationId: conversationId,
                language: turn.state.language, at: now, db: db)
        }
        let reference = submitted?.0.reference

        var outboxIds: [Int64] = []
        for reply in replies {
            var row = try OutboxMessage.reply(reply, to: contact, inboundId: inboundId, at: now)
            if message.channel == "email" {
                try decorateEmail(&row, answering: message, tag: reference ?? Self.conversationTag(conversationId), language: turn.state.language)
            }
            try row.enqueue(db)
            outboxIds.append(row.id!)
        }
        if let (submission, event) = submitted {
            outboxIds += try notices.queue(.received, submission: submission, event: event, note: nil, at: now, db: db)
            try ConversationRecord.resumePaused(contactId: contactId, db: db)
        }

        if turn.event == .declined || turn.event == .erasureRequested {
            inbound.outcome = "erased"
            try inbound.saveOutcome(db)
            let eraser = Eraser(catalog: engine.catalog)
            if turn.event == .declined {
                // Nothing beyond the first message is kept without a yes: the conversation and what was sent go.
                try eraser.declined(conversationId: conversationId, contactId: contactId, at: now, db: db)
                return .recorded(inboundId: inboundId, outcome: "erased", reason: "declined the privacy notice")
            }
            try eraser.forget(contactIds: [contactId], requestedBy: "contributor", keeping: outboxIds, at: now, db: db)
            return .recorded(inboundId: inboundId, outcome: "erased", reason: "asked for erasure")
        }
        return .processed(
            ProcessedInbound(inboundId: inboundId, contactId: contactId, conversationId: conversationId, outboxIds: outboxIds, submissionReference: reference))
    }

    /// Inserts the inbound row and its attachments; nil when the (channel, external id) was seen before.
    private func record(_ message: InboundMessage, db: Database) throws -> InboundRecord? {
        if try ErasedId.wasErased(channel: message.channel, externalId: message.externalId, db: db) { return nil }
        var inbound = InboundRecord(
            id: nil, channel: message.channel, externalId: message.externalId, contactId: nil, conversationId: nil,
            sender: message.sender, threadKey: message.threadKey, rawSize: message.rawSize, text: message.text,
            receivedAt: message.receivedAt, processedAt: nil, error: nil, raw: message.raw, outcome: "processed",
            messageIds: message.references.isEmpty ? nil : try message.references.jsonColumn())
        guard try inbound.insertUnlessSeen(db), let id = inbound.id else { return nil }
        for file in message.attachments {
            var row = Attachment(
                id: nil, inboundId: id, filename: file.filename, contentType: file.contentType, size: file.size, sha256: file.sha256, storedPath: nil,
                data: file.data)
            try row.insert(db)
        }
        return inbound
    }

    private func contactFor(_ message: InboundMessage, now: Date, db: Database) throws -> Contact {
        if message.channel == "email", let threaded = try threadedContact(message, db: db) { return threaded }
        if let found = try Contact.find(channel: message.channel, address: message.sender, db: db) { return found }
        var contact = Contact(
            id: nil, channel: message.channel, address: message.sender, displayName: message.displayName,
            language: message.language ?? LanguageDetector.detect(message.text, catalog: engine.catalog) ?? engine.catalog.defaultLanguage, email: message.channel == "email" ? message.sender : nil, createdAt: now)
        try contact.insertNew(db)
        return contact
    }
}
