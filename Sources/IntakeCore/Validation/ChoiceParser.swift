import Foundation

/// Reads choice, multi-choice and yes/no answers: option numbers ("2", "2,4", "2 4"), option ids,
/// labels and synonyms in any language, or words of exactly one option's label or synonyms.
struct ChoiceParser {
    let validator: FieldValidator

    func parse(_ raw: String, field: Field) -> Result<Answer, ValidationIssue> {
        // "2️⃣" is 2: keycap marks and variation selectors dropped.
        let text = String(String.UnicodeScalarView(raw.unicodeScalars.filter { $0 != "\u{20E3}" && $0 != "\u{FE0F}" }))
        if field.type == .yesNo {
            if let word = yesNoWord(text, strict: field.strict) { return .success(.text(word)) }
            if case .failure = one(text, field: field) { return .failure(ValidationIssue(.invalidYesNo)) }
        }
        guard field.multiple else { return one(text, field: field).map(Answer.text) }
        var chosen: [String] = []
        for item in validator.listItems(text) {
            switch one(item, field: field) {
            case .success(let option): chosen.append(option)
            case .failure(let issue):
                // "2 4" or "education and health": try the item's parts before giving up.
                let words = item.split(separator: " ").map(String.init)
                var parts = words.allSatisfy { Int(NumberParser.asciiDigits($0)) != nil } ? words : validator.splitOnJoiners(item)
                // "education health": each word an option of its own.
                if parts.count == 1, words.count > 1, words.allSatisfy({ (try? one($0, field: field).get()) != nil }) { parts = words }
                guard parts.count > 1 else { return .failure(issue) }
                for part in parts {
                    switch one(part, field: field) {
                    case .success(let option): chosen.append(option)
                    case .failure(let issue): return .failure(issue)
                    }
                }
            }
        }
        let unique = field.choiceOptions.filter(chosen.contains)  // form order, no repeats
        return unique.isEmpty ? .failure(ValidationIssue(.invalidEmpty)) : .success(.list(unique))
    }

    /// "yes", "👍", and "sí, con ACNUR": a yes or no word, alone or before a comma and more words.
    private func yesNoWord(_ text: String, strict: Bool = false) -> String? {
        // A strict question (consent to publish) takes no "yes, but…": only the whole answer counts.
        for part in strict ? [text] : [text, text.split(separator: ",", maxSplits: 1).first.map(String.init) ?? text] {
            let key = MatchKey.make(part)
            if validator.keys("yes").contains(key) { return "yes" }
            if validator.keys("no").contains(key) { return "no" }
        }
        return nil
    }

    private func one(_ raw: String, field: Field) -> Result<String, ValidationIssue> {
        let options = field.choiceOptions
        let max = String(options.count)
        let text = raw.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: ".)-][(#"))
        // Option numbers in any script: "٢" (Arabic-Indic) is 2.
        if let number = Int(NumberParser.asciiDigits(text)) {
            if (1...options.count).contains(number) { return .success(options[number - 1]) }
            // "2023" for the Global Refugee Forum 2023: a synonym, not an option number.
            if let list = field.labelList, let id = validator.catalog.option(labelled: text, in: list), options.contains(id) { return .success(id) }
            if text.count == 4, case .success(let id) = wordMatch(MatchKey.make(text), field: field, raw: text, max: max) { return .success(id) }
            return .failure(ValidationIssue(.invalidChoiceNumber, ["value": text, "max": max]))
        }
        let key = MatchKey.make(text)
        if let id = options.first(where: { MatchKey.make($0) == key || MatchKey.make($0.replacingOccurrences(of: "_", with: " ")) == key }) {
            return .success(id)
        }
        if let list = field.labelList, let id = validator.catalog.option(labelled: text, in: list), options.contains(id) { return .success(id) }
        if field.type == .yesNo, let word = yesNoWord(text, strict: field.strict) { return .success(word) }
        return wordMatch(key, field: field, raw: text, max: max)
    }

    /// Some words of a label or synonym ("self-reliance", "العمل"): every word of the answer is a word of
    /// one of the option's phrases, or the start (3 letters or more) of one. One option: chosen; several:
    /// the refusal lists them by number, in the contributor's language.
    private func wordMatch(_ key: String, field: Field, raw: String, max: String) -> Result<String, ValidationIssue> {
        // One-letter words are elided articles and joiners ("l'emploi", "d'accueil", "y"): not needed to match.
        let words: [Substring] = key.split(separator: " ").filter { $0.count > 1 || $0.first?.isNumber == true }
        // Short numbers are option numbers (read before this), not words of a label; a year may be ("2023").
        guard !words.isEmpty, words.contains(where: { $0.count >= 3 }), !words.contains(where: { $0.allSatisfy(\.isNumber) && $0.count < 4 }),
            let list = field.labelList,
            let entries = validator.catalog.labelWords[list]
        else { return .failure(ValidationIssue(.invalidChoice, ["value": raw, "max": max])) }
        let offered = Set(field.choiceOptions)
        let matches = entries.filter { entry in
            offered.contains(entry.option)
                && entry.words.enumerated().contains { index, phrase in
                    words.allSatisfy { Self.word($0, isIn: phrase, shortStart: index < entry.labels) }
                }
        }.map(\.option)
        if matches.count == 1 { return .success(matches[0]) }
        guard !matches.isEmpty else { return .failure(ValidationIssue(.invalidChoice, ["value": raw, "max": max])) }
        let pack = validator.catalog.pack(validator.language)
        let listed = field.choiceOptions.enumerated().filter { matches.contains($0.element) }.map { number, option in
            let label = pack.label(list: list, option: option)
            return "\(number + 1). \(label)"
        }
        return .failure(ValidationIssue(.invalidAmbiguous, ["value": raw, "max": max, "options": pack.list(listed)]))
    }

    /// `shortStart`: a label's word may be given by its first three letters ("edu"); a synonym's needs four
    /// ("ong" is French for NGO, not the start of "ongoing").
    private static func word(_ word: Substring, isIn phrase: [Substring], shortStart: Bool) -> Bool {
        phrase.contains { label in
            label == word || (word.count >= (shortStart ? 3 : 4) && label.hasPrefix(word)) || (word.count >= 3 && hasClitic(label, before: word))
                || (label.count >= 3 && hasClitic(word, before: label))
        }
    }

    /// Arabic writes "and" and "the" onto the word: "وسبل" is "سبل", "التعليم" is "تعليم".
    private static let clitics = ["و", "ال", "وال", "بال", "لل", "ب", "ل", "ف"]

    private static func hasClitic(_ label: Substring, before word: Substring) -> Bool {
        guard label.count > word.count, label.hasSuffix(word) else { return false }
        return clitics.contains(String(label.dropLast(word.count)))
    }
}
