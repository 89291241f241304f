/// A validated answer as stored in the answers JSON: text, a list of ids, or a number.
public enum Answer: Sendable, Equatable, Codable {
    case text(String)
    case list([String])
    case number(Double)

    /// The answer as a list of plain values (a single value for text and numbers).
    public var values: [String] {
        switch self {
        case .text(let text): return [text]
        case .list(let items): return items
        case .number(let number): return [Answer.format(number)]
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let items = try? container.decode([String].self) {
            self = .list(items)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .list(let items): try container.encode(items)
        case .number(let number):
            if number == number.rounded(), abs(number) < 1e15 { try container.encode(Int64(number)) } else { try container.encode(number) }
        }
    }

    /// Whole numbers without a decimal point; others as Swift prints them.
    public static func format(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }
}
