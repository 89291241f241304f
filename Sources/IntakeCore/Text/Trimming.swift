extension String {
    /// The text without white space or line breaks at either end (Unicode's White_Space property, as
    /// Foundation's `.whitespacesAndNewlines`), without bridging to Foundation: it runs for every message.
    public var trimmedSpace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !Self.isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !Self.isSpace($0) }) ?? first
        return String(scalars[first...last])
    }

    /// Foundation's set also counts the zero-width space (a space separator in older Unicode).
    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar.value == 0x200B
    }
}
