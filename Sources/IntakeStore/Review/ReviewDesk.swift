import Foundation
import GRDB
import IntakeCore
import IntakeNotices

/// Carries out reviewers' decisions. Each action is one write transaction (IMMEDIATE: writers from every
/// process queue for it), so the status read is the status changed: of two reviewers acting at once one
/// wins and the other is told why. An audit event is appended and the contributor's notices are queued.
public struct ReviewDesk: Sendable {
    public let database: IntakeDatabase
    public let catalog: Catalog
    public let notices: NoticeQueue

    public init(database: IntakeDatabase, catalog: Catalog, notices: NoticeQueue) {
        self.database = database
        self.catalog = catalog
        self.notices = notices
    }

    public struct Outcome: Sendable {
        public let submission: Submission
        public let event: ReviewEvent
        public let outboxIds: [Int64]
    }

    /// Queues the reviewers' digest of `items` to `address` (sent by `serve`'s outbox); returns its outbox id.
    public func queueDigest(_ items: [QueueItem], to address: String, language: String, at now: Date) throws -> Int64 {
        try database.writer.write { db in try notices.queueDigest(items, to: address, language: language, at: now, db: db) }
    }

    public func act(_ action: ReviewAction, reference: String, reviewer: String, note: String?, at now: Date) throws -> Outcome {
        let reviewer = reviewer.trimmingCharacters(in: .whitespacesAndNewlines)
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reviewer.isEmpty, !reviewer.contains(where: \.isNewline), reviewer != "contributor" else {
            throw ReviewError(.badUsage, "--reviewer needs a name (one line, not 'contributor')")
        }
        if [.reject, .requestChanges, .comment].contains(action), note?.isEmpty ?? true {
            throw ReviewError(.badUsage, "\(action.rawValue) needs a non-empty \(action == .reject ? "--reason" : "--note")")
        }
        return try database.writer.write { db in
            guard var submission = try Submission.filter(Submission.Columns.reference == reference.uppercased()).fetchOne(db) else {
                throw ReviewError(.unknownReference, "no submission \(reference)")
            }
            guard action.allowedFrom.contains(submission.status) else { throw try refusal(action, submission, db: db) }
            if let status = action.resultingStatus { submission.status = status }
            if action == .assign { submission.assignedTo = reviewer }
            submission.updatedAt = now
            try submission.update(db)
            var event = ReviewEvent(id: nil, submissionId: submission.id!, reviewer: reviewer, action: action.event, note: note, at: now)
            try event.insert(db)
            if action == .requestChanges { try reopen(submission, db: db, at: now) }
            if action == .approve { try PledgeRegistry.apply(approved: submission, catalog: catalog, at: now, db: db) }
            let ids = try action.notice.map { try notices.queue($0, submission: submission, event: event, note: note, at: now, db: db) } ?? []
            return Outcome(submission: submission, event: event, outboxIds: ids)
        }
    }

    /// Why `action` cannot happen now, naming who last decided.
    private func refusal(_ action: ReviewAction, _ submission: Submission, db: Database) throws -> ReviewError {
        let last = try ReviewEvent.filter(ReviewEvent.Columns.submissionId == submission.id! && ReviewEvent.Columns.action != ReviewEventAction.commented && ReviewEvent.Columns.action != ReviewEventAction.assigned)
            .order(ReviewEvent.Columns.id.desc).fetchOne(db)
        let by = last.map { " (\($0.action) by \($0.reviewer) at \(ISO8601DateFormatter().string(from: $0.at)))" } ?? ""
        let allowed = action.allowedFrom.sorted().map(\.rawValue).joined(separator: " or ")
        return ReviewError(.refused, "cannot \(action.rawValue.replacingOccurrences(of: "_", with: " ")) \(submission.reference): it is \(submission.status)\(by); allowed only when \(allowed)")
    }

    /// Reopens the contributor's conversation at the summary, editing this submission; a draft they had
    /// going on meanwhile is paused and comes back once they send the edit.
    private func reopen(_ submission: Submission, db: Database, at now: Date) throws {
        guard let contactId = submission.contactId, let contact = try Contact.fetchOne(db, key: contactId) else {
            throw ReviewError(.refused, "the contributor of \(submission.reference) was erased: nobody can be asked for changes")
        }
        try db.execute(sql: "UPDATE conversation SET status = 'paused' WHERE contact_id = ? AND status = 'active'", arguments: [contactId])
        var state = ConversationState(language: submission.language, channel: contact.channel)
        state.form = submission.kind
        state.answers = try submission.decodedAnswers()
        state.step = .summary
        state.editing = submission.reference
        state.skipped = Engine(catalog: catalog).summaryRows(state).filter { $0.value == nil }.map(\.fieldId)
        var record = try submission.conversationId.flatMap { try ConversationRecord.fetchOne(db, key: $0) }
            ?? ConversationRecord.new(contactId: contactId, state: state, at: now)
        try record.store(state, at: now)
        try record.save(db)
        if submission.conversationId != record.id {
            try db.execute(sql: "UPDATE submission SET conversation_id = ? WHERE id = ?", arguments: [record.id, submission.id])
        }
    }
}
