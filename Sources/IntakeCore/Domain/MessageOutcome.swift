/// What became of an inbound message, as stored in `inbound.outcome`.
public enum MessageOutcome: String, Sendable, Codable, CaseIterable, Hashable, CustomStringConvertible {
    /// Answered by the conversation.
    case processed
    /// Kept, never answered: machine mail (auto-replies, bounces, lists), a confirmation of an address.
    case notAnswered = "not_answered"
    /// Kept, not answered: too many of the contact's messages already wait.
    case rateLimited = "rate_limited"
    /// Kept, answered later (the contact's reply cap or a full outbox).
    case deferred
    /// Its sender asked for erasure (or declined the privacy notice): only the fact is kept.
    case erased
    /// Its text was removed by retention.
    case purged
    /// Could not be read at all.
    case failed

    public var description: String { rawValue }
}
