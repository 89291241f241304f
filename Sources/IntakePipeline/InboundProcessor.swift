import Foundation
import GRDB
import IntakeCore
import IntakeNotices
import IntakeMetrics
@_spi(Pipeline) import IntakeStore

/// The inbound pipeline: one message in one transaction (or one savepoint of a batch), in named steps:
/// record it (once) → gate it (unreadable, machine mail, a confirmation, must it wait?) → converse
/// (InboundProcessor+Conversation: engine, state, submission, replies, event) → persist → enqueue.
/// Deferral is in InboundProcessor+Deferral, email threading in InboundProcessor+Email.
/// A channel acknowledges its source only after `process` returns (or its batch commits).
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
        let outcome = try database.pipelineWriter.write { db in try process(message, now: now, db: db) }
        if outcome.erasedSomeone { database.truncateLog() }
        return outcome
    }

    /// The same, inside a transaction the caller holds (to commit several messages at once).
    public func process(_ message: InboundMessage, now: Date, db: Database) throws -> InboundOutcome {
        guard var inbound = try InboundRecord.record(message, db: db) else { return .duplicate }
        if let error = message.parseError { return try finish(&inbound, .failed, error, now: now, db: db) }
        if let reason = message.doNotAnswer { return try finish(&inbound, .notAnswered, reason, now: now, db: db) }
        if message.channel == .email, try EmailVerification.confirm(sender: message.sender, references: message.references, at: now, db: db) {
            return try finish(&inbound, .notAnswered, "confirmed a contact address", now: now, db: db)
        }
        let contact = try contactFor(message, now: now, db: db)
        inbound.contactId = contact.id
        // A request to erase is carried out at once, whatever waits: it removes what waits too.
        // Parsed once here and handed to the engine (the pipeline and the engine read the same command).
        let command = Command.parse(message.text, catalog: engine.catalog, language: contact.language)
        let erasing = command == .erase
        if !erasing, let wait = try reasonToWait(contact: contact, channel: message.channel, now: now, db: db) {
            return try postpone(&inbound, message, contact: contact, reason: wait, now: now, db: db)
        }
        return try converse(&inbound, message, contact: contact, command: .some(command), now: now, db: db)
    }

    /// Records what became of a message that is not answered.
    func finish(_ inbound: inout InboundRecord, _ outcome: MessageOutcome, _ reason: String, now: Date, db: Database) throws -> InboundOutcome {
        inbound.outcome = outcome
        inbound.error = reason
        inbound.processedAt = now
        inbound.deferred = nil
        try inbound.saveOutcome(db)
        return .recorded(inboundId: try inbound.id.required("inbound"), outcome: outcome, reason: reason)
    }

    private func contactFor(_ message: InboundMessage, now: Date, db: Database) throws -> Contact {
        if message.channel == .email, let threaded = try threadedContact(message, db: db) { return threaded }
        if let found = try Contact.find(channel: message.channel, address: message.sender, db: db) { return found }
        return try Contact.create(for: message, language: message.startingLanguage(catalog: engine.catalog), now: now, db: db)
    }
}
