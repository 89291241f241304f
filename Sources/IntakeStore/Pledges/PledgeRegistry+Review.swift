import Foundation
import GRDB
import IntakeCore

// How submissions meet the registry: an update is linked to the pledge it names when submitted; an
// approved pledge joins the registry; an approved update sets its pledge's current stage.
extension PledgeRegistry {
    /// The registry pledge an update's answers name (by the field with the "pledge" role), if any.
    static func named(in answers: [String: Answer], form: Form?, db: Database) throws -> Pledge? {
        guard case .text(let id)? = form?.answer(role: "pledge", in: answers) else { return nil }
        return try find(id, db: db)
    }

    /// Carries an approval into the registry.
    static func apply(approved submission: Submission, catalog: Catalog, at now: Date, db: Database) throws {
        let form = catalog.form(submission.kind)
        let answers = try submission.decodedAnswers()
        if form?.roles["pledge"] != nil {
            guard let pledgeId = submission.pledgeId, var pledge = try Pledge.fetchOne(db, key: pledgeId) else { return }
            // The newest update sets the stage: approving an older one later does not turn it back.
            if let stage = form?.answer(role: "status", in: answers)?.values.first, submission.submittedAt >= (pledge.lastUpdateAt ?? .distantPast) {
                pledge.stage = stage
            }
            pledge.lastUpdateAt = max(pledge.lastUpdateAt ?? submission.submittedAt, submission.submittedAt)
            pledge.updatedAt = now
            try pledge.update(db)
            return
        }
        guard submission.kind == "pledge" else { return }
        var input = PledgeInput(externalId: submission.reference, title: form?.answer(role: "title", in: answers)?.values.first ?? submission.reference)
        input.entity = form?.answer(role: "entity", in: answers)?.values.first ?? ""
        input.entityType = form?.answer(role: "entity_type", in: answers)?.values.first
        input.partners = answers["co_sponsors"]?.values.first
        input.countries = form?.answer(role: "countries", in: answers)?.values ?? []
        input.areas = answers["areas"]?.values ?? []
        input.forum = answers["forum"]?.values.first
        input.stage = form?.answer(role: "status", in: answers)?.values.first
        input.description = answers["description"]?.values.first
        // The person who made it may report on it without naming it.
        var contacts = form?.answer(role: "email", in: answers)?.values ?? []
        if let contactId = submission.contactId, let contact = try Contact.fetchOne(db, key: contactId) {
            contacts.append(contact.address)
            if let email = contact.email { contacts.append(email) }
        }
        input.contacts = contacts
        let published = form?.answer(role: "consent", in: answers)?.values == ["yes"]
        try upsert(input, source: "submission", submissionId: submission.id, published: published, at: now, db: db)
    }
}
