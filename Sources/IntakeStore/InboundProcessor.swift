import Foundation
import GRDB
import IntakeCore

/// Handles one inbound message in one transaction: record it (once), run the conversation engine,
/// save the new state, create the submission on confirmation, and queue every reply in the outbox.
/// A channel acknowledges its source only after `process` returns.
public struct InboundProcessor: Sendable {
    public let database: IntakeDatabase
    public let engine: Engine

    public init(database: IntakeDatabase, engine: Engine) {
        self.database = database
        self.engine = engine
    }

    public func process(_ message: InboundMessage, now: Date) throws -> InboundOutcome {
        try database.pool.write { db in try process(message, now: now, db: db) }
    }

    /// The same, inside a transaction the caller holds (to commit several messages at once).
    public func process(_ message: InboundMessage, now: Date, db: Database) throws -> InboundOutcome {
        var inbound = InboundRecord(
            id: nil, channel: message.channel, externalId: message.externalId, contactId: nil, conversationId: nil,
            sender: message.sender, threadKey: message.threadKey, rawSize: message.rawSize, text: message.text,
            receivedAt: message.receivedAt, processedAt: nil, error: nil)
        try inbound.insert(db, onConflict: .ignore)
        guard db.changesCount == 1, let inboundId = inbound.id else { return .duplicate }

        var contact = try Contact.find(channel: message.channel, address: message.sender, db: db)
            ?? Contact(
                id: nil, channel: message.channel, address: message.sender, displayName: message.displayName,
                language: message.language ?? engine.catalog.defaultLanguage, email: message.channel == "email" ? message.sender : nil,
                createdAt: now)
        if contact.id == nil { try contact.insert(db) }
        let contactId = contact.id!

        var record = try ConversationRecord.active(contactId: contactId, db: db)
        let previous = try record?.decodedState()
        let turn = engine.handle(message.text, state: previous, language: contact.language, channel: message.channel)
        if record == nil { record = try ConversationRecord.new(contactId: contactId, state: turn.state, at: now) }
        try record!.store(turn.state, at: now)
        try record!.save(db)
        let conversationId = record!.id!

        if let language = turn.languageChanged, language != contact.language {
            contact.language = language
            try contact.update(db)
        }

        var replies = turn.replies
        var reference: String?
        if case .submitted(let form, let answers) = turn.event {
            let submission = try Submission.create(
                form: form, answers: answers, catalog: engine.catalog, contact: contact, conversationId: conversationId, language: turn.state.language,
                at: now, db: db)
            reference = submission.reference
            replies.append(engine.submittedReply(form: form, reference: submission.reference, language: turn.state.language))
        }

        var outboxIds: [Int64] = []
        for reply in replies {
            var row = try OutboxMessage.reply(reply, to: contact, inboundId: inboundId, at: now)
            try row.insert(db)
            outboxIds.append(row.id!)
        }

        inbound.contactId = contactId
        inbound.conversationId = conversationId
        inbound.processedAt = now
        try inbound.update(db)
        return .processed(
            ProcessedInbound(inboundId: inboundId, contactId: contactId, conversationId: conversationId, outboxIds: outboxIds, submissionReference: reference))
    }
}
