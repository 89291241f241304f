/// One message from the assistant. `options` repeats the numbered choices of a question so a
/// channel with buttons (WhatsApp, Telegram) can show them; `text` always stands on its own.
public struct Reply: Sendable, Equatable, Codable {
    public struct Option: Sendable, Equatable, Codable {
        public let number: Int
        public let id: String
        public let label: String
    }

    public let text: String
    public let options: [Option]

    public init(text: String, options: [Option] = []) {
        self.text = text
        self.options = options
    }
}

/// What a conversation turn produced besides replies, for the store to act on.
public enum ConversationEvent: Sendable, Equatable {
    /// The contributor confirmed the summary: make a submission of `form` with `answers`.
    case submitted(form: String, answers: [String: Answer])
    /// The contributor stopped the conversation.
    case abandoned
    /// The contributor said no to the privacy notice (or never yes): the conversation and what they sent are to be erased.
    case declined
    /// The contributor asked to erase everything stored about them.
    case erasureRequested
    /// The contributor does not want to hear about the pledge of a call for updates again.
    case invitationDeclined(pledge: String)
}

/// The result of one message: the new state, what to say, and what happened.
public struct Turn: Sendable, Equatable {
    public var state: ConversationState
    public var replies: [Reply]
    public var event: ConversationEvent?
    /// The language chosen in this turn, to remember for the contact.
    public var languageChanged: String?
    /// The contributor agreed to the privacy notice in this turn (`Catalog.privacyNoticeVersion`), to remember for the contact.
    public var consentGiven = false

    public init(state: ConversationState, replies: [Reply], event: ConversationEvent?, languageChanged: String? = nil) {
        self.state = state
        self.replies = replies
        self.event = event
        self.languageChanged = languageChanged
    }
}
