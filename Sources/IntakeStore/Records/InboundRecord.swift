import Foundation
import GRDB
import IntakeCore

/// A message as it arrived, kept verbatim; unique per (channel, external id) so a redelivery is seen once.
public struct InboundRecord: IntakeRecord, Sendable, Equatable {
    public static let databaseTableName = "inbound"
    public var id: Int64?
    public var channel: Channel
    public var externalId: String
    public var contactId: Int64?
    public var conversationId: Int64?
    public var sender: String
    public var threadKey: String?
    public var rawSize: Int
    public var text: String
    public var receivedAt: Date
    public var processedAt: Date?
    public var error: String?
    /// The message as received, when the channel has a raw form (email source).
    public var raw: Data?
    /// processed | not_answered | rate_limited | failed
    public var outcome: MessageOutcome
    /// For email: the message's own Message-ID and those it refers to, as JSON, for threading.
    public var messageIds: String?
    /// While the message waits to be answered (outcome `deferred`): what the pipeline needs of it, as JSON.
    public var deferred: String? = nil

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
