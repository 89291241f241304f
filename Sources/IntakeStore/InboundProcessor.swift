import Foundation
import GRDB
import IntakeCore
import IntakeNotices

/// Handles one inbound message in one transaction: record it (once), run the conversation engine,
/// save the new state, create the submission on confirmation, and queue every reply in the outbox.
/// A channel acknowledges its source only after `process` returns.
public struct InboundProcessor: Sendable {
    public let database: IntakeDatabase
    public let engine: Engine
    public let policy: ProcessorPolicy
    /// The *received* notice sent when a contributor confirms (by chat and, when we know an address, by email).
    public let notices: NoticeQueue

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
        let inboundId = inbound.id!
        func finish(_ outcome: String, _ reason: String) throws -> InboundOutcome {
            inbound.outcome = outcome
            inbound.error = reason
            inbound.processedAt = now
            try inbound.update(db)
            return .recorded(inboundId: inboundId, outcome: outcome, reason: reason)
        }
        if let error = message.parseError { return try finish("failed", error) }
        if let reason = message.doNotAnswer { return try finish("not_answered", reason) }
        if message.channel == "email", try EmailVerification.confirm(sender: message.sender, references: message.references, at: now, db: db) {
            return try finish("not_answered", "confirmed a contact address")
        }

        var contact = try contactFor(message, now: now, db: db)
        let contactId = contact.id!
        inbound.contactId = contactId
        if let cap = policy.replyCaps[message.channel], try OutboxMessage.count(to: contactId, since: now.addingTimeInterval(-cap.window), db: db) >= cap.count {
            return try finish("rate_limited", "more than \(cap.count) replies in \(Int(cap.window)) s to this contact")
        }

        var record = try ConversationRecord.active(contactId: contactId, db: db)
        let turn = engine.handle(message.text, fullText: message.fullText, state: try record?.decodedState(), language: contact.language, channel: message.channel)
        if record == nil { record = try ConversationRecord.new(contactId: contactId, state: turn.state, at: now) }
        try record!.store(turn.state, at: now)
        try record!.save(db)
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
        try inbound.update(db)
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
            try row.insert(db)
            outboxIds.append(row.id!)
        }
        if let (submission, event) = submitted {
            outboxIds += try notices.queue(.received, submission: submission, event: event, note: nil, at: now, db: db)
            try ConversationRecord.resumePaused(contactId: contactId, db: db)
        }

        if turn.event == .declined || turn.event == .erasureRequested {
            inbound.outcome = "erased"
            try inbound.update(db)
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
        try inbound.insert(db, onConflict: .ignore)
        guard db.changesCount == 1, let id = inbound.id else { return nil }
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
        try contact.insert(db)
        return contact
    }
}
