import Foundation
import GRDB
import IntakeCore

/// A confirmed form, waiting for (or past) review. `reference` is what the contributor quotes: GCR-PR-000042.
public struct Submission: IntakeRecord, Sendable, Equatable {
    public static let databaseTableName = "submission"
    public var id: Int64?
    public var reference: String
    /// The form id: good_practice | pledge | pledge_update
    public var kind: String
    public var answers: String
    public var contactId: Int64?
    public var conversationId: Int64?
    public var channel: Channel
    public var language: String
    /// submitted | approved | rejected | changes_requested
    public var status: SubmissionStatus
    public var submittedAt: Date
    public var updatedAt: Date
    /// The reviewer who took it (`review assign`).
    public var assignedTo: String?
    /// For a pledge update: the pledge of the registry it reports on (nil when it named none we know).
    public var pledgeId: Int64?

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One action on a submission; the table is an append-only audit trail.
public struct ReviewEvent: IntakeRecord, Sendable, Equatable {
    public static let databaseTableName = "review_event"
    public var id: Int64?
    public var submissionId: Int64
    public var reviewer: String
    public var action: ReviewEventAction
    public var note: String?
    public var at: Date

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
