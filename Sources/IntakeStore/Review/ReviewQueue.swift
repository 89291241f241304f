import Foundation
import GRDB
import IntakeCore

/// One line of `review list`.
public struct QueueItem: Codable, Sendable, Equatable {
    public let reference: String
    public let kind: String
    public let status: SubmissionStatus
    public let title: String
    public let entity: String?
    public let countries: [String]
    public let language: String
    public let channel: Channel
    public let assignedTo: String?
    public let submittedAt: Date
    /// Seconds since it was submitted (or sent back in), at the time of the listing.
    public let ageSeconds: Int
}

/// What the review queue holds, read-only: the listing and one submission in full.
public struct ReviewQueue: Sendable {
    public let database: IntakeDatabase
    public let catalog: Catalog

    public init(database: IntakeDatabase, catalog: Catalog) {
        self.database = database
        self.catalog = catalog
    }

    /// Submissions with one of `statuses` (all when empty), of `kind` if given, submitted since `since`, oldest first.
    public func list(statuses: [SubmissionStatus], kind: String?, since: Date?, at now: Date) throws -> [QueueItem] {
        try database.writer.read { db in
            var request = Submission.all()
            if !statuses.isEmpty { request = request.filter(statuses.contains(Submission.Columns.status)) }
            if let kind { request = request.filter(Submission.Columns.kind == kind) }
            if let since { request = request.filter(Submission.Columns.submittedAt >= since) }
            return try request.order(Submission.Columns.submittedAt, Submission.Columns.id).fetchAll(db).map { try item($0, at: now) }
        }
    }

    func item(_ submission: Submission, at now: Date) throws -> QueueItem {
        let answers = try submission.decodedAnswers()
        let form = catalog.form(submission.kind)
        func text(_ role: String) -> String? { form?.answer(role: role, in: answers).map { $0.values.joined(separator: ", ") } }
        return QueueItem(
            reference: submission.reference, kind: submission.kind, status: submission.status, title: text("title") ?? "",
            entity: text("entity"), countries: form?.answer(role: "countries", in: answers)?.values ?? [],
            language: submission.language, channel: submission.channel, assignedTo: submission.assignedTo, submittedAt: submission.submittedAt,
            ageSeconds: Int(min(max(0, now.timeIntervalSince(submission.submittedAt)), 1e12)))
    }

    /// One submission in full, labelled in `language`; nil when there is no such reference.
    public func show(_ reference: String, language: String, at now: Date) throws -> SubmissionDetail? {
        try database.writer.read { db in
            guard let submission = try Submission.filter(Submission.Columns.reference == reference.uppercased()).fetchOne(db) else { return nil }
            let answers = try submission.decodedAnswers()
            let rows = Engine(catalog: catalog).summaryRows(form: submission.kind, answers: answers, language: language, channel: submission.channel).map {
                SubmissionDetail.AnswerRow(number: $0.number, field: $0.fieldId, label: $0.label, value: $0.value, stored: answers[$0.fieldId])
            }
            let contact = try submission.contactId.flatMap { try Contact.fetchOne(db, key: $0) }
            let attachments = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.id, a.filename, a.content_type, a.size, a.sha256, a.media_kind, a.duration_seconds, a.data IS NOT NULL AS kept
                    FROM attachment a JOIN inbound i ON i.id = a.inbound_id
                    WHERE i.conversation_id = ? ORDER BY a.id
                    """, arguments: [submission.conversationId]
            ).map {
                SubmissionDetail.AttachmentInfo(
                    id: $0["id"], filename: $0["filename"], contentType: $0["content_type"], size: $0["size"], sha256: $0["sha256"], mediaKind: $0["media_kind"],
                    durationSeconds: $0["duration_seconds"], kept: $0["kept"])
            }
            let history = try ReviewEvent.filter(ReviewEvent.Columns.submissionId == submission.id!).order(ReviewEvent.Columns.id).fetchAll(db).map {
                SubmissionDetail.HistoryEntry(at: $0.at, reviewer: $0.reviewer, action: $0.action, note: $0.note)
            }
            return SubmissionDetail(
                item: try item(submission, at: now), contributor: contact.map { .init(channel: $0.channel, language: $0.language, name: $0.displayName) },
                answers: rows, attachments: attachments, duplicates: try duplicates(of: submission, db: db), history: history,
                pledge: try pledgeDetail(of: submission, db: db))
        }
    }

    private func pledgeDetail(of submission: Submission, db: Database) throws -> PledgeDetail? {
        if let pledgeId = submission.pledgeId, let pledge = try Pledge.fetchOne(db, key: pledgeId) {
            return try PledgeDetail.load(pledge.externalId, catalog: catalog, db: db)
        }
        return submission.kind == "pledge" ? try PledgeDetail.load(submission.reference, catalog: catalog, db: db) : nil
    }

    /// Other submissions that may be the same contribution: from the same contact, or with a very similar title.
    func duplicates(of submission: Submission, db: Database) throws -> [SubmissionDetail.Duplicate] {
        let title = try item(submission, at: submission.submittedAt).title
        var found: [SubmissionDetail.Duplicate] = []
        for other in try Submission.filter(Submission.Columns.id != submission.id!).order(Submission.Columns.id).fetchAll(db) {
            if let contact = submission.contactId, other.contactId == contact {
                found.append(.init(reference: other.reference, status: other.status, reason: "same_contact"))
            } else if TitleSimilarity.similar(title, try item(other, at: other.submittedAt).title) {
                found.append(.init(reference: other.reference, status: other.status, reason: "similar_title"))
            }
        }
        return found
    }
}

/// Everything `review show` prints.
public struct SubmissionDetail: Codable, Sendable {
    public struct AnswerRow: Codable, Sendable {
        public let number: Int
        public let field: String
        public let label: String
        /// As the reviewer reads it (labels, country names); nil when not answered.
        public let value: String?
        /// As stored (option ids, ISO codes).
        public let stored: Answer?
    }

    public struct Contributor: Codable, Sendable {
        public let channel: Channel
        public let language: String
        public let name: String?
    }

    public struct AttachmentInfo: Codable, Sendable {
        public let id: Int64
        public let filename: String?
        public let contentType: String
        public let size: Int
        public let sha256: String
        /// Chat media: voice, audio, photo, video or document; a voice note's length in seconds.
        public let mediaKind: String?
        public let durationSeconds: Int?
        /// The bytes are still stored (retention drops them after its period).
        public let kept: Bool
        /// A voice note or recording: someone has to listen to it (it may be an answer).
        public var needsListening: Bool { mediaKind == "voice" || mediaKind == "audio" }
    }

    public struct Duplicate: Codable, Sendable {
        public let reference: String
        public let status: SubmissionStatus
        /// same_contact | similar_title
        public let reason: String
    }

    public struct HistoryEntry: Codable, Sendable {
        public let at: Date
        public let reviewer: String
        public let action: ReviewEventAction
        public let note: String?
    }

    public let item: QueueItem
    /// nil once the contributor was erased.
    public let contributor: Contributor?
    public let answers: [AnswerRow]
    public let attachments: [AttachmentInfo]
    public let duplicates: [Duplicate]
    public let history: [HistoryEntry]
    /// An update: the registry pledge it reports on. A pledge in the registry: itself, with its updates.
    public let pledge: PledgeDetail?
}

/// Titles that differ only in case, accents, punctuation or a word or two.
enum TitleSimilarity {
    static func similar(_ a: String, _ b: String) -> Bool {
        let left = words(a)
        let right = words(b)
        guard !left.isEmpty, !right.isEmpty else { return false }
        if left == right { return true }
        let shared = Double(left.intersection(right).count)
        return shared / Double(left.union(right).count) >= 0.7
    }

    static func words(_ text: String) -> Set<String> {
        Set(MatchKey.make(text).split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init).filter { $0.count > 2 })
    }
}
