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

    /// The general case, with Foundation's case, accent and width folding.
    static func foldedKey(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in folded.unicodeScalars {
            let mapped = unify(scalar)
            // Marks first: "alphanumerics" counts combining marks (Arabic harakat) and tatweel as letters.
            if CharacterSet.nonBaseCharacters.contains(mapped) || ignored.contains(mapped) {
                continue  // Arabic harakat and tatweel, zero-width joiners
            } else if mapped == "?" {
                // Its own word: "compromiso?" is "compromiso ?", and "?" alone asks for help.
                if !out.isEmpty { out.append(" ") }
                out.append(mapped)
                pendingSpace = true
            } else if CharacterSet.alphanumerics.contains(mapped) || kept.contains(mapped) {
                if pendingSpace, !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.append(mapped)
            } else {
                pendingSpace = true
            }
        }
        return String(out)
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

    /// Characters that carry meaning in answers ("?" for help, "&" for lists).
    private static let kept: Set<Unicode.Scalar> = ["?", "&", "@", "+"]
    /// Apostrophes separate words ("l'emploi" is "l emploi"), so they are not ignored here.
    private static let ignored: Set<Unicode.Scalar> = ["\u{0640}", "\u{200C}", "\u{200D}", "\u{200E}", "\u{200F}"]

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
