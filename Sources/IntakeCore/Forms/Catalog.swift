/// The forms, option lists and every language's texts: all the data the engine runs on.
/// Built once at start-up by `CatalogLoader`; lookups used on every message are indexed here.
public struct Catalog: Sendable {
    public let forms: [Form]
    public let optionLists: [String: [String]]
    public let languages: [String: LanguagePack]
    public let defaultLanguage: String
    /// The privacy notice's version (prompts/forms/index.yaml): a contact who agreed to an older one is asked again.
    public let privacyNoticeVersion: String

    /// Match key → country code, one index per language (so the contributor's language wins a clash).
    let countryIndex: [String: [String: String]]
    /// Match key → option id, per option list, over every language's labels and synonyms.
    let labelIndex: [String: [String: String]]
    /// Per option list: each option with the words of each of its labels and synonyms (match keys), for
    /// answers that use some words of a label ("self-reliance" for "Enhance refugee self-reliance").
    let labelWords: [String: [(option: String, words: [[Substring]], labels: Int)]]
    /// Words in the longest form phrase: how far a message is searched for one.
    let longestFormPhrase: Int
    /// Form phrase (match key) → the forms it chooses, in catalog order, and its length in characters
    /// (the phrases of a form: its keywords and menu line, with and without the bracketed explanation).
    let formsByPhrase: [String: (forms: [Int], length: Int)]
    /// First words of form phrases: a run of a message's words can only be a phrase from one of these.
    let formPhraseStarts: Set<Substring>
    /// Match key of a one-word command in any language → the command (the first in `Command.simple` order).
    let simpleCommands: [String: Command]
    /// The same, per language: the contributor's language wins a word two languages use differently.
    let commandsByLanguage: [String: [String: Command]]
    /// First words of the commands that take an argument ("edit 3", "status GCR-PL-1", "language
    /// français") in any language: a message starting with none of them is none of those commands.
    let argumentCommandStarts: Set<Substring>

    public init(
        forms: [Form], optionLists: [String: [String]], languages: [String: LanguagePack], defaultLanguage: String, privacyNoticeVersion: String = "1"
    ) {
        self.privacyNoticeVersion = privacyNoticeVersion
        self.forms = forms
        self.optionLists = optionLists
        self.languages = languages
        self.defaultLanguage = languages[defaultLanguage] != nil ? defaultLanguage : (languages.keys.sorted().first ?? defaultLanguage)
        var countryIndex: [String: [String: String]] = [:]
        var labelIndex: [String: [String: String]] = [:]
        for (code, pack) in languages {
            var index: [String: String] = [:]
            for country in pack.countries {
                for name in [country.name] + country.aliases { for key in MatchKey.variants(name) { index[key] = country.code } }
            }
            countryIndex[code] = index
            for (list, labels) in pack.options {
                for (option, label) in labels { for key in MatchKey.variants(label) { labelIndex[list, default: [:]][key] = option } }
            }
        }
        // Synonyms after every label: a label is never shadowed by another option's synonym.
        for pack in languages.values {
            for (list, options) in pack.synonyms {
                for (option, words) in options {
                    for word in words.flatMap(MatchKey.variants) where !word.isEmpty && labelIndex[list]?[word] == nil {
                        labelIndex[list, default: [:]][word] = option
                    }
                }
            }
        }
        self.countryIndex = countryIndex
        self.labelIndex = labelIndex
        var labelWords: [String: [(option: String, words: [[Substring]], labels: Int)]] = [:]
        for (list, ids) in optionLists.merging(["yes_no": ["yes", "no"]], uniquingKeysWith: { a, _ in a }) {
            labelWords[list] = ids.map { option in
                // Labels first, then synonyms: a three-letter start ("edu") may only choose by a label.
                let labels = languages.values.compactMap { $0.options[list]?[option] }.map { MatchKey.make($0).split(separator: " ") }.filter { !$0.isEmpty }
                let synonyms = languages.values.flatMap { $0.synonyms[list]?[option] ?? [] }.map { MatchKey.make($0).split(separator: " ") }.filter { !$0.isEmpty }
                return (option, labels + synonyms, labels.count)
            }
        }
        self.labelWords = labelWords
        // Per form id: the match keys of the phrases that choose it in any language (keywords, menu line,
        // menu line without its explanation in brackets).
        let formPhrases = Dictionary(
            uniqueKeysWithValues: forms.map { form in
                let phrases = languages.values.flatMap { pack -> [String] in
                    guard let texts = pack.forms[form.id] else { return [] }
                    let menu = texts.menu.split(separator: "(").first.map(String.init) ?? texts.menu
                    return [texts.menu, menu] + texts.keywords
                }
                return (form.id, phrases.map(MatchKey.make).filter { !$0.isEmpty })
            })
        longestFormPhrase = formPhrases.values.joined().map { $0.split(separator: " ").count }.max() ?? 0
        var byPhrase: [String: (forms: [Int], length: Int)] = [:]
        for (index, form) in forms.enumerated() {
            for phrase in formPhrases[form.id] ?? [] where byPhrase[phrase]?.forms.last != index {
                byPhrase[phrase, default: ([], phrase.count)].forms.append(index)
            }
        }
        formsByPhrase = byPhrase
        formPhraseStarts = Set(byPhrase.keys.compactMap { $0.split(separator: " ").first })
        // Per language first: "resume" is English for resume and French (résumé, folded) for summary; the
        // contributor's own language decides, then the others in a fixed order (the default first).
        var commands: [String: Command] = [:]
        var byLanguage: [String: [String: Command]] = [:]
        let first = self.defaultLanguage
        let codes = [first] + languages.keys.filter { $0 != first }.sorted()
        for code in codes {
            guard let pack = languages[code] else { continue }
            var own: [String: Command] = [:]
            for (name, command) in Command.simple {
                for key in pack.keys(name) where own[key] == nil { own[key] = command }
            }
            byLanguage[code] = own
            for (key, command) in own where commands[key] == nil { commands[key] = command }
        }
        simpleCommands = commands
        commandsByLanguage = byLanguage
        argumentCommandStarts = Set(
            languages.values.flatMap { pack in Command.withArgument.flatMap(pack.keys) }.compactMap { $0.split(separator: " ").first })
    }

    public func form(_ id: String) -> Form? {
        forms.first { $0.id == id }
    }

    /// The pack for `code`, or the default language's when `code` is not loaded.
    public func pack(_ code: String) -> LanguagePack {
        languages[code] ?? languages[defaultLanguage]!
    }

    /// Language codes in a stable order: the default first, then alphabetical.
    public var languageCodes: [String] {
        [defaultLanguage] + languages.keys.filter { $0 != defaultLanguage }.sorted()
    }

    /// Packs to search when matching a contributor's words: theirs first, then every other.
    func packs(preferring code: String) -> [LanguagePack] {
        let first = languages[code].map { [$0] } ?? []
        return first + languageCodes.filter { $0 != code }.map { languages[$0]! }
    }

    /// The language whose code or alias is `text`, if any.
    public func language(named text: String) -> String? {
        let key = MatchKey.make(text)
        return languageCodes.first { code in
            let pack = languages[code]!
            return MatchKey.make(code) == key || pack.aliases.contains { MatchKey.make($0) == key } || MatchKey.make(pack.name) == key
        }
    }

    /// The ISO code of the country named `text` in any language (the preferred language first), or by its 2-letter code.
    public func country(_ text: String, preferring code: String) -> String? {
        let key = MatchKey.make(text)
        if key.count == 2, key.allSatisfy(\.isASCII) {
            let upper = key.uppercased()
            if pack(code).countries.contains(where: { $0.code == upper }) { return upper }
        }
        for pack in packs(preferring: code) {
            if let found = countryIndex[pack.code]?[key] { return found }
        }
        return nil
    }

    /// The option of `list` whose label (in any language) is exactly `text`.
    public func option(labelled text: String, in list: String) -> String? {
        labelIndex[list]?[MatchKey.make(text)]
    }
}
