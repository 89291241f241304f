/// Guesses the language of a contributor's first message among the loaded languages: the one whose
/// `common_words` it uses most; Arabic script alone points to Arabic when it is loaded. Deterministic.
public enum LanguageDetector {
    public static func detect(_ text: String, catalog: Catalog) -> String? {
        let arabicLetters = text.unicodeScalars.filter { (0x0600...0x06FF).contains($0.value) }.count
        let latinLetters = text.unicodeScalars.filter { $0.properties.isAlphabetic && $0.value < 0x0250 }.count
        if arabicLetters > latinLetters, catalog.languages["ar"] != nil { return "ar" }
        let words = MatchKey.make(text).split(separator: " ").map(String.init)
        guard !words.isEmpty else { return nil }
        var scores: [(code: String, score: Int)] = []
        for code in catalog.languageCodes {
            let common = catalog.pack(code).commonWordKeys
            scores.append((code, words.filter(common.contains).count))
        }
        let sorted = scores.sorted { $0.score > $1.score }
        guard let best = sorted.first, best.score > 0, sorted.dropFirst().first?.score != best.score else { return nil }
        return best.code
    }
}
