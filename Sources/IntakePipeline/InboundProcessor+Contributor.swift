import Foundation
import GRDB
import IntakeCore
@_spi(Pipeline) import IntakeStore

// What the engine needs to know about the contributor besides their conversation: which conversation a
// message continues ("resume" brings back a stopped draft), their consent, and for "status" their submissions.
extension InboundProcessor {
    /// The active conversation; for "resume", the last stopped draft instead of an active one with nothing
    /// in it yet (that one is closed: it held no answers).
    /// `consented`: the contact agreed to a privacy notice once (only they can have a stopped draft).
    func conversationToContinue(contactId: Int64, message: String, language: String, consented: Bool, command: Command?, db: Database) throws -> ConversationRecord? {
        let active = try ConversationRecord.active(contactId: contactId, db: db)
        let resuming = command == .resume
            || (active?.form == nil && consented && Command.startsWithResume(message, catalog: engine.catalog, language: language) && engine.formChoice(message) == nil)
        guard resuming, active?.form == nil || active?.step == ConversationState.Step.consent.rawValue,
            let stopped = try ConversationRecord.lastStopped(contactId: contactId, db: db)
        else { return active }
        if var active {
            active.status = .abandoned
            try active.update(db, columns: ["status"])
        }
        return stopped
    }

    /// Consent; the contributor's own submissions (newest first) when the message asks for its status; and
    /// the registry's answer when the conversation is at, or may reach, a pledge question.
    func contributor(_ contact: Contact, state: ConversationState?, message: String, command: Command?, now: Date, db: Database) throws -> Contributor {
        var contributor = Contributor(consentedVersion: contact.consentVersion)
        // Only someone who agreed before is welcomed back (and told about a stopped form): no query for a new contact.
        if contact.consentVersion != nil, state?.isActive != true || state?.form == nil, let contactId = contact.id {
            contributor.hasStoppedDraft = try ConversationRecord.lastStopped(contactId: contactId, db: db) != nil
        }
        contributor.pledges = try pledgeLookup(contact, state: state, message: message, db: db)
        // A new conversation from someone a call for updates wrote to starts on that pledge.
        if state?.isActive != true {
            contributor.invitation = try PledgeCampaign.openInvitation(channel: contact.channel, address: contact.address, now: now, db: db)
        }
        guard case .status(let reference)? = command, let contactId = contact.id else { return contributor }
        contributor.submissions = try Submission.forStatus(contactId: contactId, reference: reference, db: db).map { row in
            let title = engine.catalog.form(row.kind)?.answer(role: "title", in: row.answers)?.values.first ?? ""
            return OwnSubmission(reference: row.reference, form: row.kind, title: title, status: row.status)
        }
        return contributor
    }

    private func pledgeLookup(_ contact: Contact, state: ConversationState?, message: String, db: Database) throws -> PledgeLookup {
        let active = state?.isActive == true ? state : nil
        let form = active?.form.flatMap(engine.catalog.form)
        // Only a conversation that has, or may start at once, a form with a pledge question pays for the look-up:
        // a new contact's first message gets the privacy notice whatever it says (and most of the load is those).
        let mayStartOne = form == nil && contact.consentVersion != nil
        guard mayStartOne || form?.fields.contains(where: { $0.type == .pledge }) == true else { return PledgeLookup() }
        guard try !PledgeRegistry.isEmpty(db: db) else { return PledgeLookup() }
        var lookup = PledgeLookup(registryEmpty: false)
        lookup.mine = try PledgeRegistry.forContact([contact.address] + (contact.email.map { [$0] } ?? []), db: db).map(\.summary)
        let field = active?.field.flatMap { form?.field($0) }
        guard active?.step == .question, field?.type == .pledge else { return lookup }
        let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.utf8.count <= 300 else { return lookup }
        // Strangers find published pledges only; a pledge's own contacts find theirs either way.
        if let exact = try PledgeRegistry.find(text, db: db), exact.published || lookup.mine.contains(exact.summary) { lookup.exact = exact.summary }
        if lookup.exact == nil { lookup.matches = try PledgeRegistry.search(text, publishedOnly: true, db: db).map(\.summary) }
        return lookup
    }
}
