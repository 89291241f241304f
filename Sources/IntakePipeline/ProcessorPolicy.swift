import Foundation
import IntakeCore
@_spi(Pipeline) import IntakeStore

/// How the inbound pipeline treats each channel: reply caps, how replies are grouped, email identity.
public struct ProcessorPolicy: Sendable {
    /// At most `count` replies to one contact within `window` seconds; past that, messages are stored, not answered.
    public struct ReplyCap: Sendable {
        public var count: Int
        public var window: TimeInterval
        public init(count: Int, window: TimeInterval) {
            self.count = count
            self.window = window
        }
    }

    public var replyCaps: [Channel: ReplyCap]
    /// Channels where one turn's replies travel as one message (email: one mail per answer, not three).
    public var combinedChannels: Set<Channel>
    /// The domain of our own Message-IDs (that of the From address).
    public var messageIdDomain: String

    /// Undelivered outbox rows at most: past it, messages wait (deferred) instead of queueing more replies.
    public var outboxCeiling: Int
    /// Messages of one contact waiting at most; past it they are kept and never answered.
    public var deferredPerContact: Int

    public init(
        replyCaps: [Channel: ReplyCap] = [.email: ReplyCap(count: 20, window: 3600)], combinedChannels: Set<Channel> = [.email],
        messageIdDomain: String = "gcr-intake.invalid", outboxCeiling: Int = 20_000, deferredPerContact: Int = 50
    ) {
        self.outboxCeiling = outboxCeiling
        self.deferredPerContact = deferredPerContact
        self.replyCaps = replyCaps
        self.combinedChannels = combinedChannels
        self.messageIdDomain = messageIdDomain
    }
}
