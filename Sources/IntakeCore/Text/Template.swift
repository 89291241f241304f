/// Fills `{name}` placeholders of a prompt text in one pass, so a value that itself contains
/// "{name}" (a contributor may type anything) is never expanded again. Unknown placeholders are
/// left as they are, so a missing value shows up in tests instead of vanishing.
public enum Template {
    public static func fill(_ text: String, _ values: [String: String]) -> String {
        guard !values.isEmpty, text.contains("{") else { return text }
        var result = ""
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}"), let value = values[String(rest[rest.index(after: open)..<close])] else {
                result.append("{")
                rest = rest[rest.index(after: open)...]
                continue
            }
            result += value
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
