/// Reads a calendar date as "2024-03-31", "31/03/2024" or "31.03.2024" and returns it as ISO 8601.
enum DateParser {
    static func parse(_ text: String) -> Result<String, ValidationIssue> {
        let parts = NumberParser.asciiDigits(text).split(whereSeparator: { "-/. ".contains($0) }).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
            let a = Int(parts[0]), let b = Int(parts[1]), let c = Int(parts[2])
        else { return .failure(ValidationIssue(.invalidDate)) }
        let (year, month, day) = parts[0].count == 4 ? (a, b, c) : (c, b, a)
        guard parts[0].count == 4 || parts[2].count == 4, (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return .failure(ValidationIssue(.invalidDate)) }
        return .success(pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
