/// Where a contributor writes from, and where their answers go back. Stored by its raw value
/// (`contact.channel`, `inbound.channel`, `outbox.channel`, …) and in a conversation's saved state.
public enum Channel: String, Sendable, Codable, CaseIterable, Hashable, CustomStringConvertible {
    /// `gcr-intake chat`, in a terminal.
    case terminal
    case email
    case whatsapp
    case telegram
    /// The signed generic JSON hook (an SMS gateway, another platform).
    case generic
    /// The web chat at /chat.
    case web

    /// Chat channels take buttons and short messages; email takes a subject and a thread.
    public var isChat: Bool { self != .email }

    /// As stored and logged ("whatsapp").
    public var description: String { rawValue }
}
