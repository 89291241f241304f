import Foundation

/// Turns what someone typed into a key for matching words, labels and names:
/// case and accents folded, Arabic letter variants unified, punctuation dropped, spaces collapsed.
public enum MatchKey {
    public static func make(_ text: String) -> String {
        asciiKey(text) ?? foldedKey(text)
    }

    /// The general case, with Foundation's case, accent and width folding.
    static func foldedKey(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in folded.unicodeScalars {
            let mapped = unify(scalar)
            if CharacterSet.alphanumerics.contains(mapped) || kept.contains(mapped) {
                if pendingSpace, !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.append(mapped)
            } else if CharacterSet.nonBaseCharacters.contains(mapped) || ignored.contains(mapped) {
                continue  // Arabic harakat and tatweel, zero-width joiners
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
            if isLetterOrDigit || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "+") {
                if pendingSpace, !out.isEmpty { out.append(UInt8(ascii: " ")) }
                pendingSpace = false
                out.append((0x41...0x5A).contains(byte) ? byte + 32 : byte)
            } else if byte == UInt8(ascii: "'") {
                continue
            } else {
                pendingSpace = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Characters that carry meaning in answers ("?" for help, "&" for lists).
    private static let kept: Set<Unicode.Scalar> = ["?", "&", "@", "+"]
    private static let ignored: Set<Unicode.Scalar> = ["\u{0640}", "\u{200C}", "\u{200D}", "\u{200E}", "\u{200F}", "'", "’"]

    private static func unify(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar {
        case "\u{0622}", "\u{0623}", "\u{0625}", "\u{0671}": return "\u{0627}"  // alef forms → bare alef
        case "\u{0629}": return "\u{0647}"  // taa marbuta → haa
        case "\u{0649}": return "\u{064A}"  // alef maqsura → yaa
        case "\u{061F}": return "?"  // Arabic question mark
        default: return scalar
        }
    }
}
