/// Why an answer was refused: a message key under `invalid.` and the values its text needs.
public struct ValidationIssue: Error, Sendable, Equatable {
    public let key: MessageKey
    public let values: [String: String]

    /// Longest piece of the contributor's answer quoted back in a refusal: enough to recognise it,
    /// never an echo of a pasted essay (or of anything someone wants us to send on).
    public static let quoteLimit = 60

    public init(_ key: MessageKey, _ values: [String: String] = [:]) {
        self.key = key
        // What the contributor wrote is quoted short; "options" is our own list of labels, kept whole.
        self.values = Dictionary(uniqueKeysWithValues: values.map { ($0.key, $0.key == "options" ? $0.value : Self.quote($0.value)) })
    }

    /// Counted in Unicode scalars, not characters: a letter with 500 combining accents is 501, not 1.
    static func quote(_ value: String) -> String {
        let line = value.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard line.unicodeScalars.count > quoteLimit else { return line }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: line.unicodeScalars.prefix(quoteLimit - 1))
        return String(scalars) + "…"
    }
}
