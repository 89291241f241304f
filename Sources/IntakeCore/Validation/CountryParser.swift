/// Reads country answers: names in any loaded language, ISO 3166-1 alpha-2 codes, and a
/// field's extra answers such as "global". Lists may use commas or the joiner words ("and", "et").
struct CountryParser {
    let validator: FieldValidator

    func parse(_ text: String, field: Field) -> Result<Answer, ValidationIssue> {
        var codes: [String] = []
        for item in validator.listItems(text) {
            if let code = one(item, field: field) {
                codes.append(code)
                continue
            }
            // "Kenya and Uganda", but "Bosnia and Herzegovina" was already found whole above.
            var parts = validator.splitOnJoiners(item)
            // "KE UG", "Kenya Uganda": each word a country of its own.
            let words = item.split(separator: " ").map(String.init)
            if parts.count == 1, words.count > 1, words.allSatisfy({ one($0, field: field) != nil }) { parts = words }
            let found = parts.compactMap { one($0, field: field) }
            guard parts.count > 1, found.count == parts.count else {
                let unknown = parts.first { one($0, field: field) == nil } ?? item
                return .failure(ValidationIssue(.invalidCountry, ["value": unknown]))
            }
            codes.append(contentsOf: found)
        }
        var unique: [String] = []
        for code in codes where !unique.contains(code) { unique.append(code) }
        guard !unique.isEmpty else { return .failure(ValidationIssue(.invalidEmpty)) }
        if !field.multiple, unique.count > 1 { return .failure(ValidationIssue(.invalidCountry, ["value": text])) }
        return .success(field.multiple ? .list(unique) : .text(unique[0]))
    }

    private func one(_ text: String, field: Field) -> String? {
        if let list = field.optionList {
            let key = MatchKey.make(text)
            if let extra = field.options.first(where: { MatchKey.make($0) == key }) { return extra }
            if let extra = validator.catalog.option(labelled: text, in: list), field.options.contains(extra) { return extra }
        }
        return validator.catalog.country(text, preferring: validator.language)
    }
}
