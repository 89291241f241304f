import Foundation
import GRDB

/// An email address a chat contributor typed as their contact: notices go to it only once its owner
/// answered the one confirmation request we sent (`verifiedAt`).
public struct EmailVerification: IntakeRecord, Sendable, Equatable {
    public static let databaseTableName = "email_verification"
    public var id: Int64?
    public var contactId: Int64
    public var address: String
    /// Our confirmation request's Message-ID: the owner's reply names it in In-Reply-To/References.
    public var messageId: String
    public var sentAt: Date
    public var verifiedAt: Date?

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public enum Columns {
        public static let contactId = Column("contact_id")
        public static let address = Column("address")
        public static let messageId = Column("message_id")
        public static let verifiedAt = Column("verified_at")
    }

    static func isVerified(contactId: Int64, address: String, db: Database) throws -> Bool {
        try EmailVerification.filter(Columns.contactId == contactId && Columns.address == address.lowercased() && Columns.verifiedAt != nil)
            .fetchCount(db) > 0
    }

    static func wasRequested(address: String, db: Database) throws -> Bool {
        try EmailVerification.filter(Columns.address == address.lowercased()).fetchCount(db) > 0
    }

    /// Marks confirmed the request that a mail from `sender` answers (by our Message-ID); true if there was one.
    @_spi(Pipeline) public static func confirm(sender: String, references: [String], at now: Date, db: Database) throws -> Bool {
        guard !references.isEmpty, !sender.isEmpty else { return false }
        let pending = try EmailVerification.filter(references.contains(Columns.messageId) && Columns.address == sender.lowercased()).fetchAll(db)
        for var verification in pending {
            verification.verifiedAt = verification.verifiedAt ?? now
            try verification.update(db)
        }
        return !pending.isEmpty
    }
}
