import Foundation

/// Reads amounts and years as people write them: "250000", "250,000", "250 000", "1.5 million" is
/// not guessed; "$ 1,200.50", "1.200,50 USD" are. Digits from other scripts (Arabic-Indic) count.
public enum NumberParser {
    /// Beyond this no amount or count is real, and every consumer (exports, spreadsheets, JSON readers)
    /// still holds the number exactly; a field's own `max` may be lower.
    static let largest = 1e15

    static func number(_ text: String, field: Field) -> Result<Double, ValidationIssue> {
        guard let value = parse(text) ?? parseAmongWords(text) else { return .failure(ValidationIssue(.invalidNumber)) }
        let max = Swift.min(field.max ?? largest, largest)
        let min = Swift.max(field.min ?? -largest, -largest)
        if value < min { return .failure(ValidationIssue(.invalidNumberMin, ["min": Answer.format(min)])) }
        if value > max { return .failure(ValidationIssue(.invalidNumberMax, ["max": Answer.format(max)])) }
        return .success(value)
    }

    static func year(_ text: String, field: Field, start: Answer?) -> Result<Double, ValidationIssue> {
        guard let year = yearIn(text) else { return .failure(ValidationIssue(.invalidYear)) }
        let min = Int(field.min ?? 1900)
        let max = Int(field.max ?? 2100)
        guard (min...max).contains(year) else {
            return .failure(ValidationIssue(.invalidYearRange, ["min": String(min), "max": String(max)]))
        }
        if case .number(let startYear)? = start, Double(year) < startYear {
            return .failure(ValidationIssue(.invalidYearBeforeStart, ["start": Answer.format(startYear)]))
        }
        return .success(Double(year))
    }

    /// Words that multiply the number before them: "250k", "1.2 million", "٢٥٠ ألف", "1,2 millones".
    static let multipliers: [String: Double] = [
        "k": 1e3, "thousand": 1e3, "thousands": 1e3, "mille": 1e3, "mil": 1e3, "الف": 1e3, "ألف": 1e3, "آلاف": 1e3, "الاف": 1e3,
        "m": 1e6, "million": 1e6, "millions": 1e6, "millón": 1e6, "millon": 1e6, "millones": 1e6, "مليون": 1e6, "ملايين": 1e6,
        "billion": 1e9, "billions": 1e9, "milliard": 1e9, "milliards": 1e9, "مليار": 1e9,
    ]

    private static let groupedThousands = try! NSRegularExpression(pattern: #"([0-9])[ \x{00A0}\x{202F}]([0-9]{3})(?![0-9])"#)

    /// One number among words ("4500 people", "about 4500", "unas 4500", "250k", "1.2 million"): the number,
    /// times the multiplier word right after it; nil when there is no number or more than one.
    static func parseAmongWords(_ text: String) -> Double? {
        var normalised = asciiDigits(text).replacingOccurrences(of: "\u{066C}", with: ",").replacingOccurrences(of: "\u{066B}", with: ".")
        // "1 200 jeunes": a space between groups of three digits groups thousands.
        normalised = groupedThousands.stringByReplacingMatches(in: normalised, range: NSRange(normalised.startIndex..., in: normalised), withTemplate: "$1$2")
        normalised = groupedThousands.stringByReplacingMatches(in: normalised, range: NSRange(normalised.startIndex..., in: normalised), withTemplate: "$1$2")
        var tokens: [String] = []
        var current = ""
        for character in normalised {
            let isNumberPart = (character.isASCII && character.isNumber) || ((character == "," || character == ".") && !current.isEmpty && current.last!.isNumber)
            if isNumberPart {
                if !current.isEmpty, !(current.last!.isNumber || current.last! == "," || current.last! == ".") { tokens.append(current); current = "" }
                current.append(character)
            } else if character.isWhitespace {
                if !current.isEmpty { tokens.append(current); current = "" }
            } else {
                if let last = current.last, last.isNumber || last == "," || last == "." { tokens.append(current); current = "" }
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        let numbers = tokens.indices.filter { tokens[$0].first?.isNumber == true }
        guard numbers.count == 1, let index = numbers.first else { return nil }
        let digits = tokens[index].trimmingCharacters(in: CharacterSet(charactersIn: ".,"))
        guard var value = parse(digits) else { return nil }
        if index + 1 < tokens.count {
            let next = tokens[index + 1].lowercased().trimmingCharacters(in: .punctuationCharacters)
            if let factor = multipliers[next] { value *= factor }
        }
        return value.isFinite ? value : nil
    }

    /// "2019", "in 2019", "عام ٢٠١٩": the one run of four digits among words; nil when there are other digits.
    static func yearIn(_ text: String) -> Int? {
        let runs = asciiDigits(text).split { !($0.isASCII && $0.isNumber) }
        guard runs.count == 1, runs[0].count == 4 else { return nil }
        return Int(runs[0])
    }

    /// The number in `text`, or nil when it is not one number (currency signs and codes are ignored).
    static func parse(_ text: String) -> Double? {
        var body = asciiDigits(text).lowercased()
        for noise in [
            "usd", "us$", "dollars", "dollar", "dólares", "dolares", "dólar", "dolar", "دولارات", "دولارا", "دولار", "$", "\u{00A0}", "\u{202F}", " ", "_", "'",
        ] {
            body = body.replacingOccurrences(of: noise, with: "")
        }
        if body.hasPrefix("+") { body.removeFirst() }
        let negative = body.hasPrefix("-")
        if negative { body.removeFirst() }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "," || $0 == ".") }), body.first!.isNumber else {
            return nil
        }
        let normalised = decimalForm(body)
        guard let value = normalised.flatMap(Double.init), value.isFinite else { return nil }
        return negative ? -value : value
    }

    /// Decides which of "," and "." is the decimal mark; the other groups thousands.
    private static func decimalForm(_ body: String) -> String? {
        let commas = body.filter { $0 == "," }.count
        let dots = body.filter { $0 == "." }.count
        if commas > 0, dots > 0 {
            let decimal: Character = body.lastIndex(of: ",")! > body.lastIndex(of: ".")! ? "," : "."
            let group: Character = decimal == "," ? "." : ","
            guard body.filter({ $0 == decimal }).count == 1 else { return nil }
            return String(body.filter { $0 != group }.map { $0 == decimal ? "." : $0 })
        }
        for mark: Character in [",", "."] where body.contains(mark) {
            let groups = body.split(separator: mark, omittingEmptySubsequences: false)
            let isGrouping = groups.count > 2 || (groups.count == 2 && groups[1].count == 3 && groups[0].count <= 3 && groups[0] != "0")
            if isGrouping {
                guard groups.dropFirst().allSatisfy({ $0.count == 3 }), (1...3).contains(groups[0].count) else { return nil }
                return groups.joined()
            }
            return groups.joined(separator: ".")
        }
        return body
    }

    /// Maps Arabic-Indic and Eastern Arabic-Indic digits to ASCII so "٢٠٢١" reads as 2021.
    public static func asciiDigits(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    if let digit = scalar.properties.numericType == .decimal ? scalar.properties.numericValue : nil {
                        return Unicode.Scalar(UInt8(48 + Int(digit)))
                    }
                    return scalar
                }
            )
        )
    }
}
