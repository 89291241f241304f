import Foundation

/// Turns what someone typed into a key for matching words, labels and names:
/// case and accents folded, Arabic letter variants unified, punctuation dropped, spaces collapsed.
public enum MatchKey {
    public static func make(_ text: String) -> String {
        if let key = asciiKey(text) { return key }
        let key = foldedKey(text)
        // Emoji are decoration beside words ("ok 👍" is "ok"), but a message of only emoji is what it says ("👍").
        return key.isEmpty ? emojiKey(text) : key
    }

    /// A command's key: `make`, less a question mark after the words ("help?", "¿ayuda?", "شو اكتب؟").
    public static func command(_ text: String) -> String {
        var key = make(text)
        while key.hasSuffix(" ?") { key.removeLast(2) }
        return key
    }

    /// The keys a word from the catalog is known by: as written, and without its apostrophes, so both
    /// "don't know" and "dont know" (and "l'emploi", "lemploi") find it. What people type goes through `make`.
    public static func variants(_ word: String) -> [String] {
        let key = command(word)
        guard word.contains("'") || word.contains("’") else { return [key] }
        let joined = command(word.replacingOccurrences(of: "'", with: "").replacingOccurrences(of: "’", with: ""))
        return joined == key ? [key] : [key, joined]
    }

    /// The emoji of `text`, space-separated, without skin tones and variation selectors: "👍🏽" → "👍".
    static func emojiKey(_ text: String) -> String {
        var words: [String] = []
        for scalar in text.unicodeScalars where scalar.value > 0x7F && scalar.properties.isEmoji {
            if (0x1F3FB...0x1F3FF).contains(scalar.value) { continue }  // skin tones
            words.append(String(scalar))
        }
        return words.joined(separator: " ")
    }

    /// The general case, with Foundation's case, accent and width folding: one character at a time from
    /// a table of those folded once (`ScalarFolding`) when every character of `text` is in it, else by
    /// Foundation over the whole text.
    static func foldedKey(_ text: String) -> String {
        key(folded: ScalarFolding.fold(text) ?? foundationFolded(text))
    }

    /// The key of folded text: marks and joiners out, Arabic variants unified, words of letters and digits.
    /// (The table keeps a combining mark Foundation drops in context; both are out of the key.)
    static func key(folded: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(folded.utf8.count)
        var pendingSpace = false
        for scalar in folded.unicodeScalars {
            let mapped = unify(scalar)
            switch kind(of: mapped) {
            case .skipped:
                continue  // Arabic harakat and tatweel, zero-width joiners
            case .question:
                // Its own word: "compromiso?" is "compromiso ?", and "?" alone asks for help.
                if !out.isEmpty { out.append(UInt8(ascii: " ")) }
                out.append(UInt8(ascii: "?"))
                pendingSpace = true
            case .word:
                if pendingSpace, !out.isEmpty { out.append(UInt8(ascii: " ")) }
                pendingSpace = false
                UTF8.encode(mapped) { out.append($0) }
            case .separator:
                pendingSpace = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private enum Kind { case skipped, question, word, separator }

    private static func kind(of scalar: Unicode.Scalar) -> Kind {
        switch scalar.value {
        case 0x3F: return .question
        case 0x30...0x39, 0x61...0x7A, 0x41...0x5A, 0x26, 0x40, 0x2B: return .word  // letters, digits, & @ +
        case 0..<0x80: return .separator
        // Marks first: "alphanumerics" counts combining marks (Arabic harakat) as letters.
        case 0x0640, 0x200C, 0x200D, 0x200E, 0x200F: return .skipped  // tatweel, joiners, direction marks
        default: return marks.contains(scalar) ? .skipped : letters.contains(scalar) ? .word : .separator
        }
    }

    /// Foundation's folding of the whole text: what `ScalarFolding` reproduces for the characters it covers.
    static func foundationFolded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    /// The same key for plain ASCII text, without Foundation's folding (most answers, and every number).
    /// Nil when the text has anything else.
    static func asciiKey(_ text: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            let isLetterOrDigit = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            if byte == UInt8(ascii: "?") {
                if !out.isEmpty { out.append(UInt8(ascii: " ")) }
                out.append(byte)
                pendingSpace = true
            } else if isLetterOrDigit || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "+") {
                if pendingSpace, !out.isEmpty { out.append(UInt8(ascii: " ")) }
                pendingSpace = false
                out.append((0x41...0x5A).contains(byte) ? byte + 32 : byte)
            } else {
                pendingSpace = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Foundation's sets, fetched once (each `CharacterSet.alphanumerics` builds a new value).
    private static let marks = CharacterSet.nonBaseCharacters
    private static let letters = CharacterSet.alphanumerics

    // Characters that carry meaning in answers ("?" for help, "&" for lists) are words of their own;
    // apostrophes separate words ("l'emploi" is "l emploi"), so they are not skipped.

    private static func unify(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar {
        case "\u{0622}", "\u{0623}", "\u{0625}", "\u{0671}": return "\u{0627}"  // alef forms → bare alef
        case "\u{0629}": return "\u{0647}"  // taa marbuta → haa
        case "\u{0649}": return "\u{064A}"  // alef maqsura → yaa
        case "\u{06CC}": return "\u{064A}"  // Persian yeh → yaa
        case "\u{06A9}": return "\u{0643}"  // keheh → kaf
        case "\u{061F}": return "?"  // Arabic question mark
        default: return scalar
        }
    }
}
