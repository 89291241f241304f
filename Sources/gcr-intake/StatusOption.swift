import ArgumentParser
import IntakeCore

/// `--status`: one review status ("changes_requested"), or `all`.
enum StatusOption: ExpressibleByArgument, Equatable, CustomStringConvertible {
    case only(SubmissionStatus)
    case all

    init?(argument: String) {
        if argument == "all" {
            self = .all
        } else if let status = SubmissionStatus(rawValue: argument) {
            self = .only(status)
        } else {
            return nil
        }
    }

    /// The statuses selected; empty means every one (no filter).
    var statuses: [SubmissionStatus] {
        switch self {
        case .only(let status): return [status]
        case .all: return []
        }
    }

    var description: String {
        switch self {
        case .only(let status): return status.rawValue
        case .all: return "all"
        }
    }

    var defaultValueDescription: String { description }

    static var allValueStrings: [String] { SubmissionStatus.allCases.map(\.rawValue) + ["all"] }
}
