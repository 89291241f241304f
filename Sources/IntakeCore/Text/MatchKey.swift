import Foundation

/// Turns what someone typed into a key for matching words, labels and names:
/// case and accents folded, Arabic letter variants unified, punctuation dropped, spaces collapsed.
public enum MatchKey {
    public static func make(_ text: String) -> String {
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
