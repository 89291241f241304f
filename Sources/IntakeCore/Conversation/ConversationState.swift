/// Where one contributor is in one conversation. Saved as JSON after every message, so a
/// conversation resumes days later exactly where it stopped.
public struct ConversationState: Codable, Sendable, Equatable {
    public enum Step: String, Codable, Sendable {
        /// The privacy notice was shown: waiting for an explicit yes before anything more is kept.
        case consent
        /// Waiting for the contributor to pick a form.
        case chooseForm = "choose_form"
        /// Waiting for the answer to `field`.
        case question
        /// Showing the summary, waiting for "ok" or "edit N".
        case summary
        /// Sent: a submission was made from it.
        case submitted
        /// Stopped by the contributor.
        case abandoned
    }

    public var language: String
    /// The channel the contributor writes on ("terminal", "email", "whatsapp", …): some fields are not asked on some channels.
    public var channel: String
    public var form: String?
    public var step: Step
    public var field: String?
    public var answers: [String: Answer]
    /// Optional fields the contributor chose to skip, so they are not asked again.
    public var skipped: [String]
    /// The reference of the submission this conversation edits after a reviewer asked for changes;
    /// confirming updates that submission instead of making a new one.
    public var editing: String?

    public init(language: String, channel: String) {
        self.language = language
        self.channel = channel
        self.form = nil
        self.step = .chooseForm
        self.field = nil
        self.answers = [:]
        self.skipped = []
        self.editing = nil
    }

    /// Still going on: a new message continues it rather than starting a new one.
    public var isActive: Bool {
        step != .submitted && step != .abandoned
    }
}
