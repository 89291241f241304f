import Foundation
import GRDB
import IntakeCore

// What the engine needs to know about the contributor besides their conversation: which conversation a
// message continues ("resume" brings back a stopped draft), their consent, and for "status" their submissions.
extension InboundProcessor {
    /// The active conversation; for "resume", the last stopped draft instead of an active one with nothing
    /// in it yet (that one is closed: it held no answers).
    func conversationToContinue(contactId: Int64, command: Command?, db: Database) throws -> ConversationRecord? {
        let active = try ConversationRecord.active(contactId: contactId, db: db)
        guard command == .resume, active?.form == nil || active?.step == ConversationState.Step.consent.rawValue,
            let stopped = try ConversationRecord.lastStopped(contactId: contactId, db: db)
        else { return active }
        if var active {
            active.status = ConversationState.Step.abandoned.rawValue
            try active.update(db, columns: ["status"])
        }
        return stopped
    }

    /// Consent, and the contributor's own submissions (newest first) when the message asks for its status.
    func contributor(_ contact: Contact, command: Command?, db: Database) throws -> Contributor {
        var contributor = Contributor(consentedVersion: contact.consentVersion)
        guard case .status? = command, let contactId = contact.id else { return contributor }
        let rows = try Row.fetchAll(
            db, sql: "SELECT reference, kind, answers, status FROM submission WHERE contact_id = ? ORDER BY id DESC LIMIT 50", arguments: [contactId])
        contributor.submissions = rows.map { row in
            let kind: String = row["kind"]
            let answers = (try? [String: Answer].fromJSONColumn(row["answers"] as String)) ?? [:]
            let title = engine.catalog.form(kind)?.answer(role: "title", in: answers)?.values.first ?? ""
            return SubmissionStatus(reference: row["reference"], form: kind, title: title, status: row["status"])
        }
        return contributor
    }
}
