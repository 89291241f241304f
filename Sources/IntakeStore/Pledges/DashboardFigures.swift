import Foundation
import GRDB
import IntakeCore

/// What the public dashboard shows, counted in SQL: only published pledges (imported, or approved with
/// consent to publish) and approved updates and practices whose contributors agreed to publish. Ids, not
/// labels: the web layer names them in the visitor's language. No contact detail is read.
public struct DashboardFigures: Sendable, Codable, Equatable {
    public struct Count: Sendable, Codable, Equatable {
        public let key: String
        public let count: Int
    }

    public struct PledgeLine: Sendable, Codable, Equatable {
        public let id: String
        public let title: String
        public let entity: String
        public let stage: String?
        public let partners: String?
        public let lastUpdateAt: Date?
    }

    public var pledges = 0
    public var updates = 0
    public var practices = 0
    public var joint = 0
    public var stale = 0
    public var byStage: [Count] = []
    public var byArea: [Count] = []
    public var byEntityType: [Count] = []
    public var byCountry: [Count] = []
    /// Approved, publishable updates per month ("2025-03"), oldest first, the last 24 months.
    public var updatesByMonth: [Count] = []
    public var recent: [PledgeLine] = []
    public var stalePledges: [PledgeLine] = []
    public var jointPledges: [PledgeLine] = []

    /// Publishable approved updates: consent_publish answered yes.
    static let publishedUpdate = "s.kind = 'pledge_update' AND s.status = 'approved' AND json_extract(s.answers, '$.consent_publish') = 'yes'"

    public static func compute(at now: Date, db: Database) throws -> DashboardFigures {
        var figures = DashboardFigures()
        let yearAgo = now.addingTimeInterval(-365 * 86_400)
        figures.pledges = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pledge WHERE published") ?? 0
        figures.joint = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pledge WHERE published AND is_joint") ?? 0
        figures.stale = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pledge WHERE published AND (last_update_at IS NULL OR last_update_at < ?)", arguments: [yearAgo]) ?? 0
        figures.updates = try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM submission s JOIN pledge p ON p.id = s.pledge_id AND p.published WHERE \(publishedUpdate)") ?? 0
        figures.practices = try Int.fetchOne(
            db,
            sql: "SELECT COUNT(*) FROM submission WHERE kind = 'good_practice' AND status = 'approved' AND json_extract(answers, '$.consent_publish') = 'yes'") ?? 0
        figures.byStage = try counts("SELECT COALESCE(stage, 'unknown'), COUNT(*) FROM pledge WHERE published GROUP BY 1 ORDER BY 2 DESC, 1", db: db)
        figures.byArea = try counts(
            "SELECT value, COUNT(*) FROM pledge, json_each(pledge.areas) WHERE published GROUP BY value ORDER BY 2 DESC, 1", db: db)
        figures.byEntityType = try counts(
            "SELECT COALESCE(entity_type, 'unknown'), COUNT(*) FROM pledge WHERE published GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 15", db: db)
        figures.byCountry = try counts(
            "SELECT value, COUNT(*) FROM pledge, json_each(pledge.countries) WHERE published GROUP BY value ORDER BY 2 DESC, 1 LIMIT 15", db: db)
        figures.updatesByMonth = try counts(
            """
            SELECT substr(s.submitted_at, 1, 7), COUNT(*) FROM submission s JOIN pledge p ON p.id = s.pledge_id AND p.published
            WHERE \(publishedUpdate) AND s.submitted_at >= ? GROUP BY 1 ORDER BY 1
            """, arguments: [now.addingTimeInterval(-730 * 86_400)], db: db)
        figures.recent = try lines("SELECT * FROM pledge WHERE published ORDER BY updated_at DESC, id DESC LIMIT 20", db: db)
        figures.stalePledges = try lines(
            "SELECT * FROM pledge WHERE published AND (last_update_at IS NULL OR last_update_at < ?) ORDER BY last_update_at IS NOT NULL, last_update_at, id LIMIT 20",
            arguments: [yearAgo], db: db)
        figures.jointPledges = try lines("SELECT * FROM pledge WHERE published AND is_joint ORDER BY updated_at DESC, id DESC LIMIT 20", db: db)
        return figures
    }

    private static func counts(_ sql: String, arguments: StatementArguments = [], db: Database) throws -> [Count] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { Count(key: $0[0] ?? "unknown", count: $0[1]) }
    }

    private static func lines(_ sql: String, arguments: StatementArguments = [], db: Database) throws -> [PledgeLine] {
        try Pledge.fetchAll(db, sql: sql, arguments: arguments).map {
            PledgeLine(id: $0.externalId, title: $0.title, entity: $0.entity, stage: $0.stage, partners: $0.partners, lastUpdateAt: $0.lastUpdateAt)
        }
    }
}

/// One published pledge with its published updates (`/dashboard/pledges/ID`), and the published practices.
public enum PublishedItems {
    public struct Update: Sendable, Equatable {
        public let reference: String
        public let submittedAt: Date
        public let answers: [String: Answer]
    }

    /// The pledge if it is published, with its approved, publishable updates newest first.
    public static func pledge(_ externalId: String, db: Database) throws -> (Pledge, [Update])? {
        guard let pledge = try PledgeRegistry.find(externalId, db: db), pledge.published, let id = pledge.id else { return nil }
        let updates = try Row.fetchAll(
            db,
            sql: "SELECT s.reference, s.submitted_at, s.answers FROM submission s WHERE s.pledge_id = ? AND \(DashboardFigures.publishedUpdate) ORDER BY s.submitted_at DESC, s.id DESC",
            arguments: [id]
        ).map { row in
            Update(reference: row["reference"], submittedAt: row["submitted_at"], answers: (try? [String: Answer].fromJSONColumn(row["answers"] as String)) ?? [:])
        }
        return (pledge, updates)
    }

    /// Approved good practices whose contributors agreed to publish, newest first (or the one `reference`).
    public static func practices(reference: String? = nil, db: Database) throws -> [(reference: String, answers: [String: Answer])] {
        var sql = "SELECT reference, answers FROM submission WHERE kind = 'good_practice' AND status = 'approved' AND json_extract(answers, '$.consent_publish') = 'yes'"
        var arguments: StatementArguments = []
        if let reference {
            sql += " AND reference = ?"
            arguments = [reference.uppercased()]
        }
        return try Row.fetchAll(db, sql: sql + " ORDER BY updated_at DESC, id DESC LIMIT 200", arguments: arguments).map {
            ($0["reference"], (try? [String: Answer].fromJSONColumn($0["answers"] as String)) ?? [:])
        }
    }
}
