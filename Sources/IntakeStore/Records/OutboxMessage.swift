import Foundation
import GRDB
import IntakeCore

/// A message waiting to be delivered (or delivered: `sentAt`). Written in the same transaction as
/// the inbound message that caused it, so a crash never loses a reply nor sends one for a lost message.
public struct OutboxMessage: IntakeRecord, Sendable, Equatable {
    public static let databaseTableName = "outbox"
    public var id: Int64?
    public var channel: Channel
    public var recipient: String
    public var contactId: Int64?
    public var inboundId: Int64?
    public var subject: String?
    public var body: String
    /// The numbered options of a question as JSON, for channels that show buttons.
    public var options: String
    public var headers: String
    public var attempts: Int
    public var nextAttemptAt: Date
    public var sentAt: Date?
    public var lastError: String?
    public var externalId: String?
    public var createdAt: Date
    /// Set when delivery failed for good (a 5xx, a refused request): not tried again.
    public var failedAt: Date?
    public var providerStatus: String?
    /// The HTML alternative of an email notice (the plain text is `body`).
    public var html: String?
    /// The review event a notice tells about (the submission's "submitted" event for a *received* notice).
    public var reviewEventId: Int64?
    /// Parts of a split chat reply the provider already accepted.
    public var partsSent: Int = 0
    /// Deleted once delivered (the confirmation of an erasure keeps no trace).
    public var purgeOnSend: Bool = false
    /// For WhatsApp outside its 24-hour window: the template to send instead of free text (`OutboxTemplate` as JSON).
    public var template: String?

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A file that came with an inbound message.
public struct Attachment: IntakeRecord, Sendable, Equatable {
    public static let databaseTableName = "attachment"
    public var id: Int64?
    public var inboundId: Int64
    public var filename: String?
    public var contentType: String
    public var size: Int
    public var sha256: String
    public var storedPath: String?
    public var data: Data?
    /// For chat media: voice, audio, photo, video or document; a voice note's length.
    public var mediaKind: String? = nil
    public var durationSeconds: Int? = nil

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
