import Foundation
import GRDB
import IntakeCore

/// A contributor as one channel knows them (a phone number, an email address, a terminal name).
public struct Contact: IntakeRecord, Sendable, Equatable {
    public static let databaseTableName = "contact"
    public var id: Int64?
    public var channel: Channel
    public var address: String
    public var displayName: String?
    public var language: String
    public var email: String?
    public var createdAt: Date
    /// The version of the privacy notice the contributor agreed to, and when; nil until they say yes.
    public var consentVersion: String?
    public var consentAt: Date?

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
