import Foundation
import GRDB
import IntakeCore
import IntakeMetrics
@_spi(Pipeline) import IntakeStore

// The conversation step of the pipeline, in named steps: advance the conversation (engine + state),
// mark the message processed, submit on confirmation, queue the replies (and the notice), then apply
// what the turn asked for (erasure, a refused privacy notice).
extension InboundProcessor {
    /// Runs the conversation on the message and queues every reply (and notices on submission).
    /// `command` is the message's command when the caller already parsed it (`.some(nil)`: none); nil: not parsed.
    func converse(_ inbound: inout InboundRecord, _ message: InboundMessage, contact: Contact, command: Command?? = nil, now: Date, db: Database) throws
        -> InboundOutcome
    {
        let inboundId = try inbound.id.required("inbound")
        let contactId = try contact.id.required("contact")
        let (turn, conversationId, contact) = try advance(message, contact: contact, command: command, now: now, db: db)
        // Nothing more is kept without a yes to the privacy notice: a file sent before it keeps its description only.
        if message.media != nil, contact.consentVersion == nil {
            try Attachment.dropData(inboundId: inboundId, db: db)
        }
        // Recorded before the notices are queued: a notice by email answers this very message.
        inbound.conversationId = conversationId
        inbound.processedAt = now
        inbound.outcome = .processed
        inbound.error = nil
        try inbound.saveOutcome(db)
        let submitted = try submitIfConfirmed(turn, contact: contact, conversationId: conversationId, now: now, db: db)
        var outboxIds = try enqueue(
            replies(for: turn, message), answering: message, contact: contact, inboundId: inboundId, conversationId: conversationId,
            reference: submitted?.submission.reference, language: turn.state.language, now: now, db: db)
        if let submitted {
            outboxIds += try notices.queue(.received, submission: submitted.submission, event: submitted.event, note: nil, at: now, db: db)
            try ConversationRecord.resumePaused(contactId: contactId, db: db)
        }
        if let erased = try applyPrivacyEvent(
            turn.event, inbound: &inbound, contactId: contactId, conversationId: conversationId, keeping: outboxIds, now: now, db: db)
        {
            return erased
        }
        return .processed(
            ProcessedInbound(
                inboundId: inboundId, contactId: contactId, conversationId: conversationId, outboxIds: outboxIds,
                submissionReference: submitted?.submission.reference))
    }

    /// The engine on the contact's active conversation (or a new one); the new state saved, and the
    /// contact's language when the contributor changed it.
    private func advance(_ message: InboundMessage, contact: Contact, command parsed: Command??, now: Date, db: Database) throws -> (Turn, Int64, Contact) {
        var contact = contact
        let contactId = try contact.id.required("contact")
        let command = parsed ?? Command.parse(message.text, catalog: engine.catalog, language: contact.language)
        let existing = try conversationToContinue(
            contactId: contactId, message: message.text, language: contact.language, consented: contact.consentVersion != nil, command: command, db: db)
        let state = try existing?.decodedState()
        var contributor = try self.contributor(contact, state: state, message: message.text, command: command, now: now, db: db)
        contributor.command = .some(command)
        let turn = metrics.time(.engine, channel: message.channel.rawValue) {
            withMedia(message, state: state) { text in
                engine.handle(text, fullText: message.fullText, state: state, language: contact.language, channel: message.channel, contributor: contributor)
            }
        }
        if turn.consentGiven {
            contact.consentVersion = engine.catalog.privacyNoticeVersion
            contact.consentAt = now
            try contact.update(db)
        }
        var record: ConversationRecord
        if var existing {
            try existing.store(turn.state, at: now)
            record = existing
        } else {
            record = try ConversationRecord.new(contactId: contactId, state: turn.state, at: now)
        }
        try record.saveState(db)
        if let language = turn.languageChanged, language != contact.language {
            contact.language = language
            try contact.update(db)
        }
        return (turn, try record.id.required("conversation"), contact)
    }

    /// What goes back: a note first when media could not be read; one message per turn on channels
    /// that combine replies (email).
    private func replies(for turn: Turn, _ message: InboundMessage) -> [Reply] {
        var replies = turn.replies
        if message.unreadMedia { replies.insert(Reply(text: engine.catalog.pack(turn.state.language).message(.mediaNotRead)), at: 0) }
        if policy.combinedChannels.contains(message.channel), replies.count > 1, let last = replies.last {
            replies = [Reply(text: replies.map(\.text).joined(separator: "\n\n"), options: last.options)]
        }
        return replies
    }

    /// The submission (new, or a sent-back one again) when the turn confirmed a summary.
    private func submitIfConfirmed(_ turn: Turn, contact: Contact, conversationId: Int64, now: Date, db: Database) throws
        -> (submission: Submission, event: ReviewEvent)?
    {
        guard case .submitted(let form, let answers) = turn.event else { return nil }
        let (submission, event) = try Submission.submit(
            form: form, answers: answers, editing: turn.state.editing, catalog: engine.catalog, contact: contact, conversationId: conversationId,
            language: turn.state.language, at: now, db: db)
        return (submission, event)
    }

    /// Queues the replies in the outbox, in order; email replies get their threading headers.
    private func enqueue(
        _ replies: [Reply], answering message: InboundMessage, contact: Contact, inboundId: Int64, conversationId: Int64, reference: String?,
        language: String, now: Date, db: Database
    ) throws -> [Int64] {
        var ids: [Int64] = []
        for reply in replies {
            var row = try OutboxMessage.reply(reply, to: contact, inboundId: inboundId, at: now)
            if message.channel == .email {
                try decorateEmail(&row, answering: message, tag: reference ?? Self.conversationTag(conversationId), language: language)
            }
            try row.enqueue(db)
            ids.append(try row.id.required("outbox"))
        }
        return ids
    }

    /// A refused privacy notice or a request to erase: carried out now, keeping only the replies that say
    /// so. Nil for every other turn.
    private func applyPrivacyEvent(
        _ event: ConversationEvent?, inbound: inout InboundRecord, contactId: Int64, conversationId: Int64, keeping outboxIds: [Int64], now: Date,
        db: Database
    ) throws -> InboundOutcome? {
        if case .invitationDeclined(let pledge)? = event, let contact = try Contact.fetchOne(db, key: contactId) {
            try PledgeCampaign.decline(pledge: pledge, channel: contact.channel, address: contact.address, now: now, db: db)
            return nil
        }
        guard event == .declined || event == .erasureRequested else { return nil }
        let inboundId = try inbound.id.required("inbound")
        inbound.outcome = .erased
        try inbound.saveOutcome(db)
        let eraser = Eraser(catalog: engine.catalog)
        if event == .declined {
            // Nothing beyond the first message is kept without a yes: the conversation and what was sent go.
            try eraser.declined(conversationId: conversationId, contactId: contactId, keeping: outboxIds, at: now, db: db)
            return .recorded(inboundId: inboundId, outcome: .erased, reason: "declined the privacy notice")
        }
        try eraser.forget(contactIds: [contactId], requestedBy: "contributor", keeping: outboxIds, at: now, db: db)
        return .recorded(inboundId: inboundId, outcome: .erased, reason: "asked for erasure")
    }
}
