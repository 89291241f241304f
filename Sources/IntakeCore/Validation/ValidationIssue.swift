/// Why an answer was refused: a message key under `invalid.` and the values its text needs.
public struct ValidationIssue: Error, Sendable, Equatable {
    public let key: String
    public let values: [String: String]

    /// Longest piece of the contributor's answer quoted back in a refusal: enough to recognise it,
    /// never an echo of a pasted essay (or of anything someone wants us to send on).
    public static let quoteLimit = 60

    public init(_ key: String, _ values: [String: String] = [:]) {
        self.key = key
        self.values = values.mapValues(Self.quote)
    }

    static func quote(_ value: String) -> String {
        let line = value.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count <= quoteLimit ? line : String(line.prefix(quoteLimit - 1)) + "…"
    }
}
