import Foundation
import GRDB
import IntakeCore

/// The queries behind exports and statistics (IntakeExport shapes what they return; the SQL stays here).
/// Each reads inside the snapshot the caller opened with `IntakeDatabase.read`.
public enum ReportQueries {
    /// Submissions with one of `statuses` (any when empty) and of `kind` (any when nil) that `keep`
    /// accepts, oldest first, each with its last decision (approved, rejected, changes requested), if any;
    /// the decision is looked up only for those kept.
    public static func submissions(
        statuses: [SubmissionStatus], kind: String?, keep: (Submission) -> Bool = { _ in true }, db: Database
    ) throws -> [(Submission, ReviewEvent?)] {
        var request = Submission.all()
        if !statuses.isEmpty { request = request.filter(statuses.contains(Submission.Columns.status)) }
        if let kind { request = request.filter(Submission.Columns.kind == kind) }
        let decisions = ReviewEventAction.allCases.filter(\.isDecision)
        return try request.order(Submission.Columns.submittedAt, Submission.Columns.id).fetchAll(db).filter(keep).map { submission in
            guard let id = submission.id else { return (submission, nil) }
            let decision = try ReviewEvent.filter(ReviewEvent.Columns.submissionId == id && decisions.contains(ReviewEvent.Columns.action))
                .order(ReviewEvent.Columns.id.desc).fetchOne(db)
            return (submission, decision)
        }
    }

    /// Every submission, in id order.
    public static func allSubmissions(db: Database) throws -> [Submission] {
        try Submission.order(Submission.Columns.id).fetchAll(db)
    }

    /// The registry id ("GRF-01234", "GCR-PL-000001") of each pledge some submission reports on, by row id.
    public static func pledgeRegistryIds(db: Database) throws -> [Int64: String] {
        var ids: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, external_id FROM pledge WHERE id IN (SELECT pledge_id FROM submission)") {
            ids[row["id"] as Int64] = row["external_id"] as String
        }
        return ids
    }

    /// Hours from submission to the first decision (approved or rejected), one per decided submission, sorted.
    public static func hoursToDecision(db: Database) throws -> [Double] {
        try Double.fetchAll(
            db,
            sql: """
                SELECT (julianday(MIN(d.at)) - julianday(s.submitted_at)) * 24 FROM submission s
                JOIN review_event d ON d.submission_id = s.id AND d.action IN (?, ?)
                GROUP BY s.id
                """, arguments: [ReviewEventAction.approved, ReviewEventAction.rejected]
        ).sorted()
    }

    /// Drafts reminded (at least once), resumed after a reminder (the contributor wrote again), expired.
    public static func draftCounts(db: Database) throws -> (reminded: Int, resumed: Int, expired: Int) {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) FILTER (WHERE reminded_at IS NOT NULL), COUNT(*) FILTER (WHERE reminded_at IS NOT NULL AND updated_at > reminded_at),
                       COUNT(*) FILTER (WHERE status = ?)
                FROM conversation WHERE reminders > 0 OR status = ?
                """, arguments: [ConversationStatus.expired, ConversationStatus.expired])
        return (row?[0] ?? 0, row?[1] ?? 0, row?[2] ?? 0)
    }
}
