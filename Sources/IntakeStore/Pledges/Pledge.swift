import Foundation
import GRDB
import IntakeCore

/// A pledge of the registry: imported from the platform's list or approved here.
public struct Pledge: IntakeRecord, Sendable, Equatable {
    public static let databaseTableName = "pledge"
    public var id: Int64?
    /// "GRF-01234" (imported, any string) or our reference "GCR-PL-000001".
    public var externalId: String
    public var title: String
    public var entity: String
    public var entityType: String?
    public var partners: String?
    public var isJoint: Bool
    /// ISO country codes and option ids, as JSON arrays.
    public var countries: String
    public var areas: String
    public var forum: String?
    /// planned | in_progress | fulfilled | discontinued
    public var stage: String?
    public var description: String?
    /// import | submission
    public var source: String
    public var submissionId: Int64?
    public var createdAt: Date
    public var updatedAt: Date
    /// When an approved update last reported on it.
    public var lastUpdateAt: Date?
    /// On the public dashboard: imported, or approved here with consent to publish.
    public var published: Bool = true

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public var countryCodes: [String] { (try? [String].fromJSONColumn(countries)) ?? [] }
    public var areaIds: [String] { (try? [String].fromJSONColumn(areas)) ?? [] }

    public var summary: PledgeSummary { PledgeSummary(id: externalId, title: title, entity: entity) }
}

/// What a registry row holds before it is stored: an import line or an approved pledge.
public struct PledgeInput: Sendable, Equatable {
    public var externalId: String
    public var title: String
    public var entity: String = ""
    public var entityType: String?
    public var partners: String?
    public var countries: [String] = []
    public var areas: [String] = []
    public var forum: String?
    public var stage: String?
    public var description: String?
    /// Emails and phone numbers of people who may report on it.
    public var contacts: [String] = []

    public init(externalId: String, title: String) {
        self.externalId = externalId
        self.title = title
    }
}
