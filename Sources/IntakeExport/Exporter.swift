import CSV
import Foundation
import IntakeCore
import IntakeStore

/// Exports submissions for the GCR platform: JSON (schema in `schemas/export.schema.json`) or CSV
/// (one column per field id). Only what the contributor agreed to publish, unless asked otherwise;
/// personal fields (names, addresses) only when asked for.
public struct Exporter: Sendable {
    public let database: IntakeDatabase
    public let catalog: Catalog

    public init(database: IntakeDatabase, catalog: Catalog) {
        self.database = database
        self.catalog = catalog
    }

    public struct Options: Sendable {
        public var statuses: [SubmissionStatus]
        public var kind: String?
        public var includeUnpublishable: Bool
        public var includePersonal: Bool

        public init(statuses: [SubmissionStatus], kind: String?, includeUnpublishable: Bool, includePersonal: Bool) {
            self.statuses = statuses
            self.kind = kind
            self.includeUnpublishable = includeUnpublishable
            self.includePersonal = includePersonal
        }
    }

    /// The submissions to export, oldest first, with their last decision.
    public func select(_ options: Options) throws -> [(Submission, ReviewEvent?)] {
        try database.read { db in
            try ReportQueries.submissions(
                statuses: options.statuses, kind: options.kind, keep: { options.includeUnpublishable || (try? consented($0)) == true }, db: db)
        }
    }

    /// The registry id ("GRF-01234", "GCR-PL-000001") of the pledge each update reports on, by pledge row id.
    private func pledgeIds() throws -> [Int64: String] {
        try database.read { db in try ReportQueries.pledgeRegistryIds(db: db) }
    }

    private func consented(_ submission: Submission) throws -> Bool {
        try catalog.form(submission.kind)?.answer(role: "consent", in: submission.decodedAnswers())?.values == ["yes"]
    }

    /// The fields exported for `submission`'s form, in form order.
    private func fields(_ kind: String, _ options: Options) -> [Field] {
        (catalog.form(kind)?.fields ?? []).filter { options.includePersonal || !$0.personal }
    }

    // MARK: - JSON

    /// A JSON array, one object per submission (answers by field id; options as id and label).
    public func json(_ options: Options) throws -> Data {
        let pack = catalog.pack(catalog.defaultLanguage)
        let pledges = try pledgeIds()
        let objects: [[String: Any]] = try select(options).map { submission, decision in
            let answers = try submission.decodedAnswers()
            var exported: [String: Any] = [:]
            for field in fields(submission.kind, options) {
                if let answer = answers[field.id] { exported[field.id] = value(answer, field: field, pack: pack) }
            }
            var object: [String: Any] = [
                "reference": submission.reference, "kind": submission.kind, "status": submission.status.rawValue, "language": submission.language,
                "channel": submission.channel.rawValue, "submitted_at": Self.timestamp(submission.submittedAt),
                "updated_at": Self.timestamp(submission.updatedAt), "answers": exported, "decision": NSNull(),
                "pledge_id": submission.pledgeId.flatMap { pledges[$0] } ?? NSNull(),
            ]
            if let decision {
                object["decision"] = [
                    "action": decision.action.rawValue, "reviewer": decision.reviewer, "note": decision.note ?? NSNull(), "at": Self.timestamp(decision.at),
                ] as [String: Any]
            }
            return object
        }
        return try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// An answer for the platform: options as `{id, label}`, lists as arrays, numbers as numbers.
    private func value(_ answer: Answer, field: Field, pack: LanguagePack) -> Any {
        func option(_ id: String) -> [String: String] {
            if field.type == .country, !(field.options.contains(id)) { return ["id": id, "label": pack.countryName(id)] }
            return ["id": id, "label": field.labelList.map { pack.label(list: $0, option: id) } ?? id]
        }
        switch field.type {
        case .choice, .yesNo: return option(answer.values.first ?? "")
        case .multiChoice, .country: return answer.values.map(option)
        default:
            if case .number(let number) = answer { return Int64(exactly: number).map { $0 as Any } ?? number }
            return answer.values.joined(separator: ", ")
        }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    // MARK: - CSV

    /// UTF-8 CSV with a header row: the submission's columns, then one column per field id (option ids;
    /// several values joined with "; ").
    public func csv(_ options: Options) throws -> Data {
        let rows = try select(options)
        let pledges = try pledgeIds()
        let kinds = options.kind.map { [$0] } ?? catalog.forms.map(\.id)
        var fieldIds: [String] = []
        for kind in kinds { for field in fields(kind, options) where !fieldIds.contains(field.id) { fieldIds.append(field.id) } }
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream)
        try writer.write(
            row: ["reference", "kind", "review_status", "language", "channel", "submitted_at", "updated_at", "decision", "decided_by", "decided_at", "pledge_id"]
                + fieldIds.map { Self.fieldColumns[$0] ?? $0 })
        for (submission, decision) in rows {
            let answers = try submission.decodedAnswers()
            let allowed = Set(fields(submission.kind, options).map(\.id))
            let values = fieldIds.map { id in allowed.contains(id) ? answers[id]?.values.joined(separator: "; ") ?? "" : "" }
            let row =
                [
                    submission.reference, submission.kind, submission.status.rawValue, submission.language, submission.channel.rawValue, Self.timestamp(submission.submittedAt),
                    Self.timestamp(submission.updatedAt), decision?.action.rawValue ?? "", decision?.reviewer ?? "", decision.map { Self.timestamp($0.at) } ?? "",
                    submission.pledgeId.flatMap { pledges[$0] } ?? "",
                ] + values
            try writer.write(row: row.map(Self.inertCell))
        }
        writer.stream.close()
        return stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
    }

    /// Field ids whose column would repeat a submission column's name.
    static let fieldColumns = ["status": "pledge_status"]

    /// A cell a spreadsheet will not run as a formula: one starting with =, +, -, @, tab or carriage
    /// return gets a leading apostrophe (as OWASP and spreadsheet vendors advise).
    public static func inertCell(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        return "'" + value
    }
}
