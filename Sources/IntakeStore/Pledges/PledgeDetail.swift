import Foundation
import GRDB
import IntakeCore

/// A pledge with every update reported on it, newest first, and who sent each: `pledges show`, `review show`.
public struct PledgeDetail: Codable, Sendable {
    public struct Update: Codable, Sendable {
        public let reference: String
        public let status: SubmissionStatus
        /// The stage the update reports (an update_status option id).
        public let stage: String?
        public let submittedAt: Date
        /// "whatsapp +254700000001", "email amina@example.org"; nil once the contributor was erased.
        public let sentBy: String?
    }

    public let id: String
    public let title: String
    public let entity: String
    public let entityType: String?
    public let partners: String?
    public let countries: [String]
    public let areas: [String]
    public let forum: String?
    public let stage: String?
    public let description: String?
    public let source: String
    public let lastUpdateAt: Date?
    public let updates: [Update]

    public static func load(_ externalId: String, catalog: Catalog, db: Database) throws -> PledgeDetail? {
        guard let pledge = try PledgeRegistry.find(externalId, db: db), let id = pledge.id else { return nil }
        let updates = try PledgeRegistry.updates(of: id, db: db).map { submission in
            let contact = try submission.contactId.flatMap { try Contact.fetchOne(db, key: $0) }
            let answers = try submission.decodedAnswers()
            return Update(
                reference: submission.reference, status: submission.status,
                stage: catalog.form(submission.kind)?.answer(role: "status", in: answers)?.values.first, submittedAt: submission.submittedAt,
                sentBy: contact.map { "\($0.channel) \($0.address)" })
        }
        return PledgeDetail(
            id: pledge.externalId, title: pledge.title, entity: pledge.entity, entityType: pledge.entityType, partners: pledge.partners,
            countries: pledge.countryCodes, areas: pledge.areaIds, forum: pledge.forum, stage: pledge.stage, description: pledge.description,
            source: pledge.source, lastUpdateAt: pledge.lastUpdateAt, updates: updates)
    }
}
