/// Why an answer was refused: a message key under `invalid.` and the values its text needs.
public struct ValidationIssue: Error, Sendable, Equatable {
    public let key: MessageKey
    public let values: [String: String]

    /// Longest piece of the contributor's answer quoted back in a refusal: enough to recognise it,
    /// never an echo of a pasted essay (or of anything someone wants us to send on).
    public static let quoteLimit = 60

    static let bidiControls: Set<UInt32> = [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]

    public init(_ key: MessageKey, _ values: [String: String] = [:]) {
        self.key = key
        // What the contributor wrote is quoted short; "options" is our own list of labels, kept whole.
        self.values = Dictionary(uniqueKeysWithValues: values.map { ($0.key, $0.key == "options" ? $0.value : Self.quote($0.value)) })
    }

    /// Counted in Unicode scalars, not characters: a letter with 500 combining accents is 501, not 1.
    public static func quote(_ value: String) -> String {
        // Direction marks and overrides are invisible and would reorder our own sentence around the quote.
        let visible = String(String.UnicodeScalarView(value.unicodeScalars.filter { !Self.bidiControls.contains($0.value) }))
        let line = visible.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard line.unicodeScalars.count > quoteLimit else { return line }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: line.unicodeScalars.prefix(quoteLimit - 1))
        return String(scalars) + "…"
    }
}
