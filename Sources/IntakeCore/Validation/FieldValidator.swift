import Foundation

/// Turns what a contributor typed into a validated `Answer` for one field, or says why not.
/// Pure: the catalog gives the words of every language, the answers give earlier values.
public struct FieldValidator: Sendable {
    public let catalog: Catalog
    /// The contributor's language: its words win where languages disagree.
    public let language: String

    public init(catalog: Catalog, language: String) {
        self.catalog = catalog
        self.language = language
    }

    public func validate(_ raw: String, for field: Field, answers: [String: Answer] = [:]) -> Result<Answer, ValidationIssue> {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return .failure(ValidationIssue(.invalidEmpty)) }
        if text.unicodeScalars.contains(where: Self.isForbiddenControl) { return .failure(ValidationIssue(.invalidControlCharacters)) }
        switch field.type {
        case .text, .pledge: return checkLength(text, field, defaultMax: 500).map(Answer.text)
        case .longText: return checkLength(text, field, defaultMax: 3000).map(Answer.text)
        case .choice, .multiChoice, .yesNo: return ChoiceParser(validator: self).parse(text, field: field)
        case .country: return CountryParser(validator: self).parse(text, field: field)
        case .number: return NumberParser.number(text, field: field).map(Answer.number)
        case .year: return yearAnswer(text, field: field, answers: answers)
        case .date: return DateParser.parse(text).map(Answer.text)
        case .email: return AddressParser.email(text).map(Answer.text)
        case .url: return AddressParser.url(text).map(Answer.text)
        }
    }

    /// Command-like words of every language, the contributor's first.
    func words(_ command: String) -> [String] {
        catalog.packs(preferring: language).flatMap { $0.words(command) }
    }

    /// `words(command)` as match keys, folded at load.
    func keys(_ command: String) -> [String] {
        catalog.packs(preferring: language).flatMap { $0.keys(command) }
    }

    /// Separates list items: commas (Latin and Arabic), semicolons, new lines.
    func listItems(_ text: String) -> [String] {
        text.split(whereSeparator: { ",;،/\n\r".contains($0) || $0.isNewline })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// Splits "Kenya and Uganda" on the joiner words of every language, and "العراق وسوريا" on a
    /// one-letter joiner written onto the next word (Arabic "و").
    func splitOnJoiners(_ text: String) -> [String] {
        let joiners = Set(keys("list_joiners"))
        let attached = joiners.filter { $0.count == 1 && !$0.allSatisfy(\.isASCII) }
        var parts: [[Substring]] = [[]]
        for word in text.split(separator: " ") {
            let key = MatchKey.make(String(word))
            if joiners.contains(key) {
                parts.append([])
            } else if key.count > 3, let joiner = attached.first(where: { key.hasPrefix($0) }), let first = word.first, MatchKey.make(String(first)) == joiner {
                parts.append([word.dropFirst()])
            } else {
                parts[parts.count - 1].append(word)
            }
        }
        return parts.map { $0.joined(separator: " ") }.filter { !$0.isEmpty }
    }

    private func checkLength(_ text: String, _ field: Field, defaultMax: Int) -> Result<String, ValidationIssue> {
        let length = text.count
        if let min = field.minLength, length < min {
            return .failure(ValidationIssue(.invalidTooShort, ["min": String(min), "length": String(length)]))
        }
        let max = field.maxLength ?? defaultMax
        // A character piled with combining marks counts for them: a vowelled Arabic letter or an emoji
        // sequence is one, "e" with 15,000 accents is not (the limit would mean nothing).
        let weight = text.reduce(0) { $0 + Swift.max(1, $1.unicodeScalars.count - 2) }
        if weight > max { return .failure(ValidationIssue(.invalidTooLong, ["max": String(max), "length": String(weight)])) }
        if let minLetters = field.minLetters, text.unicodeScalars.lazy.filter(\.properties.isAlphabetic).prefix(minLetters).count < minLetters {
            return .failure(ValidationIssue(.invalidNoWords))
        }
        return .success(text)
    }

    private func yearAnswer(_ text: String, field: Field, answers: [String: Answer]) -> Result<Answer, ValidationIssue> {
        if field.allowOngoing, words("ongoing").map(MatchKey.make).contains(MatchKey.make(text)) { return .success(.text("ongoing")) }
        return NumberParser.year(text, field: field, start: field.minField.flatMap { answers[$0] }).map(Answer.number)
    }

    /// C0/C1 control characters other than tab and line breaks never belong in an answer.
    public static func isForbiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.properties.generalCategory == .control else { return false }
        return !["\t", "\n", "\r"].contains(scalar)
    }
}
