/// Fills `{name}` placeholders of a prompt text. Unknown placeholders are left as they are,
/// so a missing value shows up in tests instead of vanishing.
public enum Template {
    public static func fill(_ text: String, _ values: [String: String]) -> String {
        guard !values.isEmpty, text.contains("{") else { return text }
        var result = text
        for (name, value) in values {
            result = result.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return result
    }
}
