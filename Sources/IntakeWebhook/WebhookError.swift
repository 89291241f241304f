/// Why a webhook request was refused: the HTTP status and a reason for the log (never the body).
public struct WebhookRejection: Error, Sendable, CustomStringConvertible {
    public let status: Int
    public let reason: String
    public var description: String { "\(status): \(reason)" }

    static func unauthorized(_ reason: String) -> WebhookRejection { WebhookRejection(status: 401, reason: reason) }
    static func badRequest(_ reason: String) -> WebhookRejection { WebhookRejection(status: 400, reason: reason) }
}

/// What one webhook delivery carried: messages to process, and delivery reports about our replies.
public struct WebhookBatch: Sendable {
    public var messages: [IncomingChat] = []
    /// (provider message id, status) of our own earlier replies.
    public var statuses: [(id: String, status: String)] = []
    /// Messages left out of this delivery because their identity or text was refused.
    public var refused = 0
}

/// One chat message as a provider described it, before it becomes an `InboundMessage`.
public struct IncomingChat: Sendable, Equatable {
    public var channel: String
    public var id: String
    public var from: String
    public var name: String?
    public var text: String
    /// The contributor sent a picture, voice note or file: only text is read for now.
    public var unreadMedia: Bool = false
    /// A language the provider knows for the contributor (Telegram's language_code).
    public var language: String?

    public init(channel: String, id: String, from: String, name: String?, text: String, unreadMedia: Bool = false, language: String? = nil) {
        self.channel = channel
        self.id = id
        self.from = from
        self.name = name
        self.text = text
        self.unreadMedia = unreadMedia
        self.language = language
    }
}
