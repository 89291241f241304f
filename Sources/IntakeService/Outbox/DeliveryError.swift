import Foundation
import IntakeCore
import IntakeStore

/// Delivers one outbox row on one channel. Returns the provider's id for it, if any.
public protocol OutboxTransport: Sendable {
    var channel: Channel { get }
    /// How many rows of this channel may be in flight at once.
    var concurrency: Int { get }
    func deliver(_ message: OutboxMessage) async throws -> String?
}

/// Why a delivery attempt failed, classified for the worker. `summary` goes to the log and must not
/// carry personal data (no address, no text, no provider body); `detail` is kept in the row only.
public struct DeliveryError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Trying again will not help (a refused message, a 5xx from SMTP).
        case permanent
        /// Try this row again later (not before `retryAfter` when the provider said so).
        case retry
        /// The request may have reached the provider, which does not de-duplicate: not sent again.
        case uncertain
    }
    public var kind: Kind
    public var retryAfter: Double?
    /// The channel itself fails (no connection, 5xx, 429): the worker holds back its other rows.
    public var channelDown: Bool
    public var summary: String
    public var detail: String
    /// Parts of a split reply that did reach the provider (a retry starts after them).
    public var partsSent: Int?
    /// The provider's own error code, when its answer had one (WhatsApp's 131047: the 24-hour window is closed).
    public var providerCode: Int?

    public init(_ kind: Kind, summary: String, detail: String, retryAfter: Double? = nil, channelDown: Bool = false, partsSent: Int? = nil) {
        self.kind = kind
        self.summary = summary
        self.detail = detail
        self.retryAfter = retryAfter
        self.channelDown = channelDown
        self.partsSent = partsSent
    }

    public var description: String { summary }
}
