/// Where a submission stands in the review queue. Stored by its raw value in `submission.status`.
public enum SubmissionStatus: String, Sendable, Codable, CaseIterable, Hashable, Comparable, CustomStringConvertible {
    /// Waiting for a reviewer (also after the contributor sent the changes asked for).
    case submitted
    /// A reviewer asked for changes: the conversation is back at its summary.
    case changesRequested = "changes_requested"
    case approved
    case rejected

    /// Still in the reviewers' queue (not decided).
    public var isOpen: Bool { self == .submitted || self == .changesRequested }

    /// As stored and shown to reviewers ("changes_requested").
    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where a conversation stands. Stored by its raw value in `conversation.status`; only one conversation
/// per contact is `active` at a time.
public enum ConversationStatus: String, Sendable, Codable, CaseIterable, Hashable, CustomStringConvertible {
    /// Being filled in: the next message goes on with it.
    case active
    /// A reviewer asked for changes on another of the contact's submissions: that one took over.
    case paused
    /// Sent: a submission was made from it.
    case submitted
    /// Stopped before anything was answered.
    case abandoned
    /// Stopped with answers kept: "resume" brings it back.
    case stopped
    /// No answer for the expiry time: the contributor was told, the next message starts afresh.
    case expired

    public var description: String { rawValue }

    /// The status a conversation's state is saved with.
    public init(_ state: ConversationState) {
        if state.isActive { self = .active; return }
        switch state.step {
        case .submitted: self = .submitted
        case .abandoned: self = .abandoned
        default: self = .stopped
        }
    }
}
