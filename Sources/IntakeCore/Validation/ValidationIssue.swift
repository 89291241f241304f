/// Why an answer was refused: a message key under `invalid.` and the values its text needs.
public struct ValidationIssue: Error, Sendable, Equatable {
    public let key: String
    public let values: [String: String]

    public init(_ key: String, _ values: [String: String] = [:]) {
        self.key = key
        self.values = values
    }
}
