import Foundation

/// Keeps only what the contributor wrote in an email reply: drops quoted lines ("> …"), the quoted
/// history under an attribution line ("On … wrote:", "Le … a écrit :"), Outlook's "From:/De :" header
/// blocks, forwarded-message separators and the signature ("-- ").
public enum ReplyStripper {
    public static func strip(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .components(separatedBy: "\n")
        let own = lines[..<(boundary(lines) ?? lines.count)]
        return own.filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix(">") }.joined(separator: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Where what the contributor wrote ends: the signature, or the start of the quoted history (an
    /// attribution line, an Outlook header block, a forwarded-message separator); nil when neither.
    static func boundary(_ lines: [String]) -> Int? {
        for index in lines.indices {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if line == "-- " || trimmed == "--" || trimmed == "__" || isSeparator(trimmed) || isMobileSignature(trimmed) { return index }
            if isAttribution(trimmed) || (startsAttribution(trimmed) && index + 1 < lines.count && isAttribution(trimmed + " " + lines[index + 1].trimmingCharacters(in: .whitespaces))) {
                return index
            }
            if isHeaderBlock(lines, at: index) { return index }
        }
        return nil
    }

    /// "On Tue, 3 Mar 2026, Amina <a@example.org> wrote:" and its French, Spanish, German, Portuguese and Arabic forms.
    private static let attribution = try! NSRegularExpression(
        pattern: #"^(on|le|el|am|em|في|بتاريخ)\b.{0,300}(wrote|a écrit|a ecrit|escribió|escribio|schrieb|escreveu|كتب)\s*:?$"#,
        options: [.caseInsensitive])
    private static let attributionStart = try! NSRegularExpression(pattern: #"^(on|le|el|am|em|في)\s"#, options: [.caseInsensitive])
    private static let headerStart = try! NSRegularExpression(pattern: #"^\*?(from|de|von|من)\s?\*?:"#, options: [.caseInsensitive])
    private static let headerNext = try! NSRegularExpression(
        pattern: #"^\*?(sent|envoyé|envoye|date|enviado|gesendet|to|à|a|para|an|subject|objet|asunto|betreff|cc|التاريخ|إلى|الموضوع)\s?\*?:"#,
        options: [.caseInsensitive])

    private static func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    static func isAttribution(_ line: String) -> Bool { matches(attribution, line) }
    private static func startsAttribution(_ line: String) -> Bool { matches(attributionStart, line) }

    private static let ruleCharacters = CharacterSet(charactersIn: "-_ ")

    /// "-----Original Message-----", "-------- Message d'origine --------", "---------- Forwarded message ---------".
    private static func isSeparator(_ line: String) -> Bool {
        guard line.hasPrefix("---") || line.hasPrefix("___") else { return false }
        let words = line.lowercased().trimmingCharacters(in: Self.ruleCharacters)
        return ["original message", "message d'origine", "message original", "mensaje original", "forwarded message", "message transféré",
            "mensaje reenviado", "ursprüngliche nachricht", "الرسالة الأصلية"].contains(words) || words.isEmpty && line.count >= 20
    }

    private static func isMobileSignature(_ line: String) -> Bool {
        let lower = line.lowercased()
        return ["sent from my ", "envoyé de mon ", "envoye de mon ", "enviado desde mi ", "get outlook for "].contains { lower.hasPrefix($0) }
    }

    /// An Outlook-style quoted header block: "From: …" followed within a few lines by "Sent:/To:/Subject: …".
    private static func isHeaderBlock(_ lines: [String], at index: Int) -> Bool {
        guard matches(headerStart, lines[index].trimmingCharacters(in: .whitespaces)) else { return false }
        let following = lines[(index + 1)..<min(lines.count, index + 4)].map { $0.trimmingCharacters(in: .whitespaces) }
        return following.contains { matches(headerNext, $0) }
    }
}
