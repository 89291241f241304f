/// One entry of a submission's audit trail (`review_event.action`): what the contributor, a reviewer or
/// an erasure did.
public enum ReviewEventAction: String, Sendable, Codable, CaseIterable, Hashable, CustomStringConvertible {
    /// The contributor sent it.
    case submitted
    /// The contributor sent it again after changes were asked for.
    case resubmitted
    case approved
    case rejected
    case changesRequested = "changes_requested"
    case assigned
    case commented
    /// Its contributor was erased; an approved submission stays, without their personal answers.
    case anonymised

    /// A reviewer's decision (what exports call the decision).
    public var isDecision: Bool { self == .approved || self == .rejected || self == .changesRequested }

    public var description: String { rawValue }
}
