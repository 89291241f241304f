import Foundation
import GRDB
import IntakeCore

/// Everything stored about a contributor (`contacts show`): what a subject-access request returns.
public struct ContactDossier: Codable, Sendable {
    public struct Message: Codable, Sendable {
        public let id: Int64
        public let channel: Channel
        public let receivedAt: Date
        public let outcome: MessageOutcome
        public let text: String
        public let rawBytes: Int
        public let attachments: [String]
    }

    public struct Draft: Codable, Sendable {
        public let id: Int64
        public let form: String?
        public let status: ConversationStatus
        public let updatedAt: Date
        public let answers: [String: Answer]
    }

    public struct SubmissionSummary: Codable, Sendable {
        public let reference: String
        public let kind: String
        public let status: SubmissionStatus
        public let answers: [String: Answer]
    }

    public struct Sent: Codable, Sendable {
        public let channel: Channel
        public let recipient: String
        public let createdAt: Date
        public let sentAt: Date?
        public let text: String
    }

    public let contacts: [Contact]
    public let conversations: [Draft]
    public let messages: [Message]
    public let submissions: [SubmissionSummary]
    public let sent: [Sent]

    public var isEmpty: Bool { contacts.isEmpty && messages.isEmpty && sent.isEmpty }

    public static func load(address: String, catalog: Catalog, db: Database) throws -> ContactDossier {
        let ids = try Eraser(catalog: catalog).contacts(matching: address, db: db)
        let contacts = try Contact.filter(ids.contains(Contact.Columns.id)).order(Contact.Columns.id).fetchAll(db)
        let conversations = try ConversationRecord.filter(ids.contains(ConversationRecord.Columns.contactId)).order(ConversationRecord.Columns.id).fetchAll(db).map {
            Draft(id: $0.id!, form: $0.form, status: $0.status, updatedAt: $0.updatedAt, answers: try [String: Answer].fromJSONColumn($0.answers))
        }
        let inbound = try InboundRecord.filter(ids.contains(InboundRecord.Columns.contactId) || InboundRecord.Columns.sender.lowercased == address.lowercased())
            .order(InboundRecord.Columns.id).fetchAll(db)
        let messages = try inbound.map { row in
            Message(
                id: row.id!, channel: row.channel, receivedAt: row.receivedAt, outcome: row.outcome, text: row.text, rawBytes: row.raw?.count ?? 0,
                attachments: try Attachment.filter(Attachment.Columns.inboundId == row.id!).fetchAll(db).map { "\($0.filename ?? "(no name)") (\($0.size) bytes)" })
        }
        let submissions = try Submission.filter(ids.contains(Submission.Columns.contactId)).order(Submission.Columns.id).fetchAll(db).map {
            SubmissionSummary(reference: $0.reference, kind: $0.kind, status: $0.status, answers: try $0.decodedAnswers())
        }
        let sent = try OutboxMessage.filter(ids.contains(OutboxMessage.Columns.contactId) || OutboxMessage.Columns.recipient.lowercased == address.lowercased())
            .order(OutboxMessage.Columns.id).fetchAll(db).map { Sent(channel: $0.channel, recipient: $0.recipient, createdAt: $0.createdAt, sentAt: $0.sentAt, text: $0.body) }
        return ContactDossier(contacts: contacts, conversations: conversations, messages: messages, submissions: submissions, sent: sent)
    }
}
