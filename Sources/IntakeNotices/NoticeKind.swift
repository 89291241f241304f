/// What a notice tells: each review step that a contributor hears about, and the reviewers' digest.
public enum NoticeKind: String, CaseIterable, Sendable {
    case received
    case approved
    case rejected
    case changesRequested = "changes_requested"
    case digest

    /// The parts every notice has in every language: `<kind>.subject`, `<kind>.txt`, `<kind>.html`.
    public static let parts = ["subject", "txt", "html"]
}

/// A notice ready to send: one subject, a plain-text part (also the chat message) and an HTML part.
public struct RenderedNotice: Sendable, Equatable {
    public let subject: String
    public let text: String
    public let html: String
}
