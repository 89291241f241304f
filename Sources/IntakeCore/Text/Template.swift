import Foundation

/// Fills `{name}` placeholders of a prompt text in one pass, so a value that itself contains
/// "{name}" (a contributor may type anything) is never expanded again.
public enum Template {
    /// Unknown placeholders are left as they are, so a missing value shows up in tests instead of vanishing.
    public static func fill(_ text: String, _ values: [String: String]) -> String {
        fill(text, values, dropMissing: false).text
    }

    /// For what a contributor reads: a placeholder without a value is left out, with the empty quotes or
    /// brackets that held it and the doubled space it leaves, never shown as "{name}" (or "?").
    public static func fillForReading(_ text: String, _ values: [String: String]) -> String {
        let (filled, dropped) = fill(text, values, dropMissing: true)
        return dropped ? tidy(filled) : filled
    }

    private static func fill(_ text: String, _ values: [String: String], dropMissing: Bool) -> (text: String, dropped: Bool) {
        guard text.utf8.contains(UInt8(ascii: "{")) else { return (text, false) }
        var result = ""
        var dropped = false
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                rest = rest[open...]
                break
            }
            let name = rest[rest.index(after: open)..<close]
            if let value = values[String(name)] {
                result += value
            } else if dropMissing, !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                dropped = true
            } else {
                result.append("{")
                rest = rest[rest.index(after: open)...]
                continue
            }
            rest = rest[rest.index(after: close)...]
        }
        return (result + rest, dropped)
    }

    private static func tidy(_ text: String) -> String {
        var out = text
        for empty in ["\"\"", "« »", "«\u{00A0}\u{00A0}»", "«\u{00A0}»", "«»", "“”", "()", "( )"] {
            out = out.replacingOccurrences(of: empty, with: "")
        }
        while out.contains("  ") { out = out.replacingOccurrences(of: "  ", with: " ") }
        for mark in [".", ","] { out = out.replacingOccurrences(of: " " + mark, with: mark) }
        return out.trimmingCharacters(in: .whitespaces)
    }
}
