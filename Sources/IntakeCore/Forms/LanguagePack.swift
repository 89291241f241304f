/// Everything a language says, as loaded from `prompts/<code>/`.
public struct LanguagePack: Sendable {
    public struct FieldTexts: Sendable, Equatable {
        public let label: String
        public let question: String
        public let help: String?
    }

    public struct FormTexts: Sendable, Equatable {
        public let name: String
        /// The possessive phrase: "your good practice", "votre engagement", "ممارستك الجيدة".
        public let yourName: String
        /// The noun's grammatical gender in this language: "m", "f" or "n" (none), for agreement in notices.
        public let gender: String
        public let menu: String
        public let keywords: [String]
        public let fields: [String: FieldTexts]

        public init(name: String, yourName: String? = nil, gender: String = "n", menu: String, keywords: [String], fields: [String: FieldTexts]) {
            self.name = name
            self.yourName = yourName ?? name
            self.gender = gender
            self.menu = menu
            self.keywords = keywords
            self.fields = fields
        }
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
    /// The messages as read when no value is given (the privacy notice, the consent question): filled
    /// once at load, not for every first message.
    let messagesWithoutValues: [String: String]
    /// Command words by command: "help" → ["help", "?"].
    public let commands: [String: [String]]
    /// The same words as match keys, folded once at load rather than for every message.
    public let commandKeys: [String: [String]]
    public let forms: [String: FormTexts]
    /// Option labels: list id → option id → label.
    public let options: [String: [String: String]]
    public let countries: [Country]
    /// Extra words for options: list id → option id → words that choose it (prompts/<lang>/synonyms.yaml).
    public let synonyms: [String: [String: [String]]]
    /// Joins several values in a sentence: ", " (Arabic "، ").
    public let listSeparator: String

    public init(
        code: String, name: String, aliases: [String], commonWords: [String], rightToLeft: Bool, messages: [String: String], commands: [String: [String]],
        forms: [String: FormTexts], options: [String: [String: String]], countries: [Country],
        synonyms: [String: [String: [String]]] = [:], listSeparator: String = ", "
    ) {
        self.code = code
        self.name = name
        self.aliases = aliases
        self.commonWords = commonWords
        self.commonWordKeys = Set(commonWords.map(MatchKey.make))
        self.rightToLeft = rightToLeft
        self.messages = messages
        self.messagesWithoutValues = messages.mapValues { Template.fillForReading($0, [:]) }
        self.commands = commands
        self.commandKeys = commands.mapValues { $0.flatMap(MatchKey.variants).filter { !$0.isEmpty } }
        self.forms = forms
        self.options = options
        self.countries = countries
        self.synonyms = synonyms
        self.listSeparator = listSeparator
    }

    /// `values` in a sentence, with this language's separator.
    public func list(_ values: [String]) -> String {
        values.joined(separator: listSeparator)
    }

    /// The message in this language with its `{name}` placeholders filled. A placeholder without a value
    /// is left out (with the empty quotes or brackets around it), never shown as "{name}" or "?".
    public func message(_ key: MessageKey, _ values: [String: String] = [:]) -> String {
        if values.isEmpty, let read = messagesWithoutValues[key.rawValue] { return read }
        return Template.fillForReading(messages[key.rawValue] ?? key.rawValue, values)
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
