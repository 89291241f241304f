import Foundation

/// Checks email and web addresses for the shape a reviewer can use; it does not contact them.
public enum AddressParser {
    public static func email(_ text: String) -> Result<String, ValidationIssue> {
        var address = text
        if address.lowercased().hasPrefix("mailto:") { address.removeFirst(7) }
        address = address.trimmingCharacters(in: CharacterSet(charactersIn: "<> "))
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard address.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64,
            !address.contains(where: { $0.isWhitespace || "<>()[],;:\"\\".contains($0) }),
            isHostname(String(parts[1]))
        else { return .failure(ValidationIssue(.invalidEmail)) }
        return .success(String(parts[0]) + "@" + parts[1].lowercased())
    }

    static func url(_ text: String) -> Result<String, ValidationIssue> {
        var candidate = text
        if candidate.lowercased().hasPrefix("www.") { candidate = "https://" + candidate }
        guard !candidate.contains(where: \.isWhitespace), let components = URLComponents(string: candidate),
            let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = components.host, isHostname(host)
        else { return .failure(ValidationIssue(.invalidUrl)) }
        return .success(candidate)
    }

    /// example.org, sub.example.co.uk, bücher.de: labels of letters, digits and hyphens, a dot, a final label of letters.
    private static func isHostname(_ host: String) -> Bool {
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let last = labels.last, last.count >= 2, last.allSatisfy(\.isLetter) else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        }
    }
}
