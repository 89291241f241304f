import IntakeCore
import IntakeNotices

/// What a reviewer can do to a submission, from which statuses, and what it leads to.
public enum ReviewAction: String, CaseIterable, Sendable {
    case approve
    case reject
    case requestChanges = "request_changes"
    case assign
    case comment

    /// The statuses the action is allowed from.
    public var allowedFrom: Set<SubmissionStatus> {
        switch self {
        case .approve, .requestChanges: return [.submitted]
        case .reject, .assign: return [.submitted, .changesRequested]
        case .comment: return Set(SubmissionStatus.allCases)
        }
    }

    /// The status after the action; nil when the status does not change.
    public var resultingStatus: SubmissionStatus? {
        switch self {
        case .approve: return .approved
        case .reject: return .rejected
        case .requestChanges: return .changesRequested
        case .assign, .comment: return nil
        }
    }

    /// The action as written in the audit trail (`review_event.action`).
    public var event: ReviewEventAction {
        switch self {
        case .approve: return .approved
        case .reject: return .rejected
        case .requestChanges: return .changesRequested
        case .assign: return .assigned
        case .comment: return .commented
        }
    }

    /// The notice the contributor gets; nil for internal actions.
    public var notice: NoticeKind? {
        switch self {
        case .approve: return .approved
        case .reject: return .rejected
        case .requestChanges: return .changesRequested
        case .assign, .comment: return nil
        }
    }
}

/// A review action that did not happen, with the CLI's exit code: 1 refused, 2 bad usage, 3 unknown reference.
public struct ReviewError: Error, CustomStringConvertible, Sendable {
    public enum Code: Int32, Sendable {
        case refused = 1
        case badUsage = 2
        case unknownReference = 3
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
