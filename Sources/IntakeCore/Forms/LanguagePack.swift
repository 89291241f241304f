/// Everything a language says, as loaded from `prompts/<code>/`.
public struct LanguagePack: Sendable {
    public struct FieldTexts: Sendable, Equatable {
        public let label: String
        public let question: String
        public let help: String?
    }

    public struct FormTexts: Sendable, Equatable {
        public let name: String
        public let menu: String
        public let keywords: [String]
        public let fields: [String: FieldTexts]
    }

    public struct Country: Sendable, Equatable {
        public let code: String
        public let name: String
        public let aliases: [String]
    }

    public let code: String
    public let name: String
    public let aliases: [String]
    /// Frequent words, to recognise the language of a first message.
    public let commonWords: [String]
    /// The same words as match keys, folded once at load.
    public let commonWordKeys: Set<String>
    /// Written right to left (Arabic): HTML parts get `dir="rtl"`.
    public let rightToLeft: Bool
    /// Messages by dotted key: "greeting", "invalid.too_long".
    public let messages: [String: String]
    /// Command words by command: "help" → ["help", "?"].
    public let commands: [String: [String]]
    /// The same words as match keys, folded once at load rather than for every message.
    public let commandKeys: [String: [String]]
    public let forms: [String: FormTexts]
    /// Option labels: list id → option id → label.
    public let options: [String: [String: String]]
    public let countries: [Country]

    public init(
        code: String, name: String, aliases: [String], commonWords: [String], rightToLeft: Bool, messages: [String: String], commands: [String: [String]],
        forms: [String: FormTexts], options: [String: [String: String]], countries: [Country]
    ) {
        self.code = code
        self.name = name
        self.aliases = aliases
        self.commonWords = commonWords
        self.commonWordKeys = Set(commonWords.map(MatchKey.make))
        self.rightToLeft = rightToLeft
        self.messages = messages
        self.commands = commands
        self.commandKeys = commands.mapValues { $0.map(MatchKey.make) }
        self.forms = forms
        self.options = options
        self.countries = countries
    }

    public func message(_ key: MessageKey, _ values: [String: String] = [:]) -> String {
        Template.fill(messages[key.rawValue] ?? key.rawValue, values)
    }

    public func words(_ command: String) -> [String] {
        commands[command] ?? []
    }

    /// `words(command)` as match keys (see `MatchKey`).
    public func keys(_ command: String) -> [String] {
        commandKeys[command] ?? []
    }

    public func label(list: String, option: String) -> String {
        options[list]?[option] ?? option
    }

    public func fieldTexts(form: String, field: String) -> FieldTexts {
        forms[form]?.fields[field] ?? FieldTexts(label: field, question: field, help: nil)
    }

    public func countryName(_ code: String) -> String {
        countries.first { $0.code == code }?.name ?? code
    }
}
