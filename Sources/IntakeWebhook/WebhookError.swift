import IntakeCore

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
    /// Our replies the provider refused after accepting them, with its error code (WhatsApp's 131047: the window closed).
    public var failures: [(id: String, code: Int)] = []
    /// Messages left out of this delivery because their identity or text was refused.
    public var refused = 0
    /// Telegram: the tapped button's callback query, answered in the webhook's response so it stops spinning.
    public var callbackQueryId: String?
}


/// One chat message as a provider described it, before it becomes an `InboundMessage`.
public struct IncomingChat: Sendable, Equatable {
    public var channel: IntakeCore.Channel
    public var id: String
    public var from: String
    public var name: String?
    public var text: String
    /// The contributor sent a picture, voice note or file: only text is read for now.
    public var unreadMedia: Bool = false
    /// A language the provider knows for the contributor (Telegram's language_code).
    public var language: String?
    /// A file to fetch from the provider (voice note, photo, document).
    public var media: MediaReference?

    public init(channel: IntakeCore.Channel, id: String, from: String, name: String?, text: String, unreadMedia: Bool = false, language: String? = nil) {
        self.channel = channel
        self.id = id
        self.from = from
        self.name = name
        self.text = text
        self.unreadMedia = unreadMedia
        self.language = language
    }
}

/// A file a provider holds for us: its id there, what kind, what the provider says of it.
public struct MediaReference: Sendable, Equatable {
    public enum Provider: String, Sendable { case whatsapp, telegram }
    public var provider: Provider
    public var id: String
    public var kind: InboundMedia.Kind
    public var mimeType: String?
    public var filename: String?
    public var durationSeconds: Int?
    /// The size the provider announced, if any (checked again on download).
    public var size: Int?
    /// A sticker or another kind of file we do not keep.
    public var notAllowed = false

    /// A provider's file id goes into a URL: letters, digits, '-', '_' and ':' only, at most 256.
    public static func isSafeId(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 256 && id.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2D || $0 == 0x5F || $0 == 0x3A }
    }

    public init(provider: Provider, id: String, kind: InboundMedia.Kind, mimeType: String? = nil, filename: String? = nil, durationSeconds: Int? = nil, size: Int? = nil) {
        self.provider = provider
        self.id = id
        self.kind = kind
        self.mimeType = mimeType
        self.filename = filename
        self.durationSeconds = durationSeconds
        self.size = size
    }
}
