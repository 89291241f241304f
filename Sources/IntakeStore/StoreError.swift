import Foundation

/// Errors of the store, each with a stable code a caller may branch on; `detail` explains it to an operator
/// (never shown to a contributor).
public struct StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        /// A request the store cannot carry out as asked (an unknown form, a reference that does not exist…).
        case invalidRequest = "invalid_request"
        /// A row written in this transaction has no id: the database did not do what it was asked.
        case missingRowId = "missing_row_id"
        /// A stored value cannot be read back (written by another version, or damaged).
        case unreadableRow = "unreadable_row"
    }

    public let code: Code
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// An error an operator can act on, from its explanation.
    public init(_ detail: String) {
        self.init(.invalidRequest, detail)
    }

    public var message: String { detail }
    public var description: String { code == .invalidRequest ? detail : "\(code.rawValue): \(detail)" }
}

extension Optional where Wrapped == Int64 {
    /// The id of a row this transaction wrote, or a `missingRowId` error instead of a trap.
    @_spi(Pipeline) public func required(_ what: String) throws -> Int64 {
        guard let self else { throw StoreError(.missingRowId, what) }
        return self
    }
}
