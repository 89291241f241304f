import Foundation

/// Reads choice, multi-choice and yes/no answers: option numbers ("2", "2,4", "2 4"),
/// option ids, labels in any language, or an unambiguous start of a label.
struct ChoiceParser {
    let validator: FieldValidator

    func parse(_ text: String, field: Field) -> Result<Answer, ValidationIssue> {
        if field.type == .yesNo, let word = yesNoWord(text) { return .success(.text(word)) }
        guard field.multiple else { return one(text, field: field).map(Answer.text) }
        var chosen: [String] = []
        for item in validator.listItems(text) {
            switch one(item, field: field) {
            case .success(let option): chosen.append(option)
            case .failure(let issue):
                // "2 4" or "education and health": try the item's parts before giving up.
                let parts = item.split(separator: " ").allSatisfy { Int(NumberParser.asciiDigits(String($0))) != nil }
                    ? item.split(separator: " ").map(String.init) : validator.splitOnJoiners(item)
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

    private func yesNoWord(_ text: String) -> String? {
        let key = MatchKey.make(text)
        if validator.keys("yes").contains(key) { return "yes" }
        if validator.keys("no").contains(key) { return "no" }
        return nil
    }

    private func one(_ raw: String, field: Field) -> Result<String, ValidationIssue> {
        let options = field.choiceOptions
        let max = String(options.count)
        let text = raw.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: ".)-]["))
        // Option numbers in any script: "٢" (Arabic-Indic) is 2.
        if let number = Int(NumberParser.asciiDigits(text)) {
            guard (1...options.count).contains(number) else { return .failure(ValidationIssue(.invalidChoiceNumber, ["value": text, "max": max])) }
            return .success(options[number - 1])
        }
        let key = MatchKey.make(text)
        if let id = options.first(where: { MatchKey.make($0) == key || MatchKey.make($0.replacingOccurrences(of: "_", with: " ")) == key }) {
            return .success(id)
        }
        if let list = field.labelList, let id = validator.catalog.option(labelled: text, in: list), options.contains(id) { return .success(id) }
        if field.type == .yesNo, let word = yesNoWord(text) { return .success(word) }
        return prefixMatch(key, field: field, raw: text, max: max)
    }

    /// "jobs" for "Jobs and livelihoods": accepted when only one label starts that way.
    private func prefixMatch(_ key: String, field: Field, raw: String, max: String) -> Result<String, ValidationIssue> {
        guard key.count >= 3, let list = field.labelList else { return .failure(ValidationIssue(.invalidChoice, ["value": raw, "max": max])) }
        var matches: Set<String> = []
        for pack in validator.catalog.packs(preferring: validator.language) {
            for option in field.choiceOptions where MatchKey.make(pack.label(list: list, option: option)).hasPrefix(key) {
                matches.insert(option)
            }
        }
        if matches.count == 1 { return .success(matches.first!) }
        return .failure(ValidationIssue(matches.isEmpty ? .invalidChoice : .invalidAmbiguous, ["value": raw, "max": max]))
    }
}

