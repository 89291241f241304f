import Foundation

/// The conversation engine: a pure function of (catalog, state, message) to (state, replies, event).
/// No clock, no storage, no randomness: the store runs it inside its transaction.
public struct Engine: Sendable {
    public let catalog: Catalog

    public init(catalog: Catalog) {
        self.catalog = catalog
    }

    /// Handles one message. `state` is nil (or no longer active) for a contributor with no conversation going on;
    /// `language` and `channel` then seed the new one.
    /// `fullText` is an email's whole body, quoted template included, when `message` is only what the
    /// contributor wrote above it: structured replies are read from it.
    public func handle(_ message: String, fullText: String? = nil, state: ConversationState?, language: String, channel: String) -> Turn {
        let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let state, state.isActive else {
            return begin(text, state: ConversationState(language: catalog.languages[language] != nil ? language : catalog.defaultLanguage, channel: channel))
        }
        let command = Command.parse(text, catalog: catalog, language: state.language)
        if let turn = handleGlobal(command, state: state) { return turn }
        if command == nil, state.channel == "email", [.question, .summary].contains(state.step), let turn = structured(fullText ?? text, state: state) {
            return turn
        }
        switch state.step {
        case .consent: return atConsent(text, command: command, state: state)
        case .chooseForm: return chooseForm(text, state: state)
        case .question: return answer(text, command: command, state: state)
        case .summary: return atSummary(text, command: command, state: state)
        case .submitted, .abandoned: return begin(text, state: state)
        }
    }

    /// What to show a contributor who comes back: their current question (or the summary) again.
    public func resume(_ state: ConversationState) -> [Reply] {
        guard state.isActive else { return [] }
        return [Reply(text: pack(state).message(.resume))] + prompt(state)
    }

    /// The first thing a new contributor sees: the greeting and the menu of forms.
    public func greeting(language: String) -> [Reply] {
        [menu(ConversationState(language: language, channel: ""), intro: .greeting)]
    }

    // MARK: - Steps

    /// A new conversation starts with the privacy notice; a form named in the first message is
    /// remembered and started once the contributor agrees.
    private func begin(_ text: String, state: ConversationState) -> Turn {
        var state = ConversationState(language: state.language, channel: state.channel)
        state.step = .consent
        var changed: String?
        if case .language(let code?)? = Command.parse(text, catalog: catalog, language: state.language) {
            state.language = code
            changed = code
        }
        state.form = formChoice(text)?.id
        // One message, not two: greeting, privacy notice and question arrive together on a slow link.
        let question = consentQuestion(state)
        var turn = Turn(state: state, replies: [Reply(text: pack(state).message(.greeting) + "\n" + question.text, options: question.options)], event: nil)
        turn.languageChanged = changed
        return turn
    }

    /// The privacy notice's question is answered like any yes/no question (words, option numbers, buttons).
    private func atConsent(_ text: String, command: Command?, state: ConversationState) -> Turn {
        let answer = FieldValidator(catalog: catalog, language: state.language).validate(text, for: Self.consentField, answers: [:])
        if command == .confirm || answer == .success(.text("yes")) {
            var state = state
            state.step = .chooseForm
            if let form = form(state) { return startForm(form, state: state) }
            return Turn(state: state, replies: [menu(state, intro: .consentGiven)], event: nil)
        }
        if answer == .success(.text("no")) { return decline(state) }
        if command == .help { return Turn(state: state, replies: [Reply(text: pack(state).message(.consentHelp))] + prompt(state), event: nil) }
        return Turn(state: state, replies: [Reply(text: pack(state).message(.consentUnknown))] + prompt(state), event: nil)
    }

    static let consentField = Field(id: "consent", type: .yesNo, required: true)

    private func decline(_ state: ConversationState) -> Turn {
        var state = state
        state.step = .abandoned
        state.form = nil
        return Turn(state: state, replies: [Reply(text: pack(state).message(.consentDeclined))], event: .declined)
    }

    private func chooseForm(_ text: String, state: ConversationState) -> Turn {
        if let form = formChoice(text) { return startForm(form, state: state) }
        if Command.parse(text, catalog: catalog, language: state.language) == .help {
            return Turn(state: state, replies: [Reply(text: pack(state).message(.help)), menu(state, intro: nil)], event: nil)
        }
        return Turn(state: state, replies: [menu(state, intro: .formUnknown)], event: nil)
    }

    private func startForm(_ form: Form, state: ConversationState) -> Turn {
        var state = state
        state.form = form.id
        state.answers = [:]
        state.skipped = []
        let formName = pack(state).forms[form.id]?.name ?? form.id
        let intro = Reply(text: pack(state).message(.formStarted, ["form": formName]))
        // By email the whole form comes too, to answer in one go.
        let template = state.channel == "email" ? formTemplate(state).map { [$0] } ?? [] : []
        return advance(state, before: [intro] + template)
    }

    private func answer(_ text: String, command: Command?, state: ConversationState) -> Turn {
        guard let form = form(state), let fieldId = state.field, let field = form.field(fieldId) else { return advance(state) }
        var state = state
        switch command {
        case .skip?:
            guard !field.required else { return reask(state, note: pack(state).message(.cannotSkip)) }
            state.answers[field.id] = nil
            if !state.skipped.contains(field.id) { state.skipped.append(field.id) }
            return advance(state)
        case .back?:
            let asked = askedFields(state)
            guard let index = asked.firstIndex(where: { $0.id == field.id }), index > 0 else {
                return reask(state, note: pack(state).message(.backAtStart))
            }
            state.field = asked[index - 1].id
            return Turn(state: state, replies: prompt(state), event: nil)
        case .help?:
            let texts = pack(state).fieldTexts(form: form.id, field: field.id)
            return reask(state, note: (texts.help ?? pack(state).message(.noHelpForField)) + "\n" + pack(state).message(.help))
        case .summary?:
            return Turn(state: state, replies: [summary(state, header: .summaryProgress, footer: nil)] + prompt(state), event: nil)
        default:
            break
        }
        let validator = FieldValidator(catalog: catalog, language: state.language)
        switch validator.validate(text, for: field, answers: state.answers) {
        case .success(let value):
            state.answers[field.id] = value
            state.skipped.removeAll { $0 == field.id }
            return advance(state)
        case .failure(let issue):
            return reask(state, note: pack(state).message(issue.key, issue.values))
        }
    }

    private func atSummary(_ text: String, command: Command?, state: ConversationState) -> Turn {
        var state = state
        let yes = FieldValidator(catalog: catalog, language: state.language).keys("yes")
        switch command ?? (yes.contains(MatchKey.make(text)) ? .confirm : nil) {
        case .confirm?:
            guard let form = form(state) else { return advance(state) }
            let asked = Set(askedFields(state).map(\.id))
            state.answers = state.answers.filter { asked.contains($0.key) }
            state.step = .submitted
            state.field = nil
            return Turn(state: state, replies: [], event: .submitted(form: form.id, answers: state.answers))
        case .back?:
            state.step = .question
            state.field = askedFields(state).last?.id
            return Turn(state: state, replies: prompt(state), event: nil)
        case .help?:
            return Turn(state: state, replies: [Reply(text: pack(state).message(.help))] + prompt(state), event: nil)
        default:
            let max = String(askedFields(state).count)
            return Turn(state: state, replies: [Reply(text: pack(state).message(.summaryUnknown, ["max": max]))], event: nil)
        }
    }

    /// Commands that mean the same at every step: stop, restart, language, edit, summary.
    private func handleGlobal(_ command: Command?, state: ConversationState) -> Turn? {
        var state = state
        switch command {
        case .erase?:
            var erased = ConversationState(language: state.language, channel: state.channel)
            erased.step = .abandoned
            return Turn(state: erased, replies: [Reply(text: pack(state).message(.erased))], event: .erasureRequested)
        case .stop? where state.step == .consent:
            return decline(state)
        case .stop?:
            state.step = .abandoned
            state.field = nil
            return Turn(state: state, replies: [Reply(text: pack(state).message(.stopped))], event: .abandoned)
        case .restart? where state.step == .consent:
            return Turn(state: state, replies: prompt(state), event: nil)
        case .restart?:
            state = ConversationState(language: state.language, channel: state.channel)
            return Turn(state: state, replies: [Reply(text: pack(state).message(.restarted)), menu(state, intro: nil)], event: nil)
        case .language(let code?)?:
            state.language = code
            var turn = Turn(state: state, replies: [Reply(text: pack(state).message(.languageChanged))] + prompt(state), event: nil)
            turn.languageChanged = code
            return turn
        case .language(nil)?:
            let names = catalog.languageCodes.map { "\(catalog.pack($0).name) (\($0))" }.joined(separator: ", ")
            return Turn(state: state, replies: [Reply(text: pack(state).message(.languageUnknown, ["languages": names]))] + prompt(state), event: nil)
        case .edit(let number)? where state.form != nil && state.step != .consent:
            let asked = askedFields(state)
            guard let number, (1...max(asked.count, 1)).contains(number), number <= asked.count else {
                let note = pack(state).message(.editUnknown, ["number": number.map(String.init) ?? "?", "max": String(asked.count)])
                return state.step == .summary ? Turn(state: state, replies: [Reply(text: note)], event: nil) : reask(state, note: note)
            }
            state.step = .question
            state.field = asked[number - 1].id
            return Turn(state: state, replies: prompt(state), event: nil)
        case .summary? where state.step == .summary:
            return Turn(state: state, replies: prompt(state), event: nil)
        default:
            return nil
        }
    }

    // MARK: - Moving through the form

    /// Asks the first asked field with neither an answer nor a skip, or shows the summary when none is left.
    func advance(_ state: ConversationState, before: [Reply] = []) -> Turn {
        var state = state
        if let next = askedFields(state).first(where: { state.answers[$0.id] == nil && !state.skipped.contains($0.id) }) {
            state.step = .question
            state.field = next.id
        } else {
            state.step = .summary
            state.field = nil
        }
        return Turn(state: state, replies: before + prompt(state), event: nil)
    }

    private func reask(_ state: ConversationState, note: String) -> Turn {
        Turn(state: state, replies: [Reply(text: note)] + prompt(state), event: nil)
    }

    /// The message that waits for the contributor at the current step.
    func prompt(_ state: ConversationState) -> [Reply] {
        switch state.step {
        case .consent: return [consentQuestion(state)]
        case .chooseForm: return [menu(state, intro: nil)]
        case .question: return [question(state)]
        case .summary: return [summary(state, header: .summaryHeader, footer: .summaryFooter)]
        case .submitted, .abandoned: return []
        }
    }

    private static let numberPunctuation = CharacterSet(charactersIn: " .)")

    private func formChoice(_ text: String) -> Form? {
        if let number = Int(NumberParser.asciiDigits(text).trimmingCharacters(in: Self.numberPunctuation)),
            catalog.forms.indices.contains(number - 1)
        {
            return catalog.forms[number - 1]
        }
        let key = MatchKey.make(text)
        guard !key.isEmpty else { return nil }
        // "I want to share a good practice": the form whose keyword (or menu line, minus its
        // explanation in brackets) is the longest phrase inside the message; a tie is no choice.
        if let exact = catalog.formsByPhrase[key] { return catalog.forms[exact.forms[0]] }
        guard key.utf8.count <= 800, key.count <= 200 else { return nil }
        let words = key.split(separator: " ")
        var best: (forms: [Int], length: Int)?
        for start in words.indices where catalog.formPhraseStarts.contains(words[start]) {
            var run = ""
            for end in start..<min(words.count, start + catalog.longestFormPhrase) {
                if end > start { run += " " }
                run += words[end]
                guard let found = catalog.formsByPhrase[run] else { continue }
                if best == nil || found.length > best!.length {
                    best = found
                } else if found.length == best!.length {
                    best!.forms += found.forms.filter { !best!.forms.contains($0) }
                }
            }
        }
        guard let best, best.forms.count == 1 else { return nil }
        return catalog.forms[best.forms[0]]
    }

    func form(_ state: ConversationState) -> Form? {
        state.form.flatMap(catalog.form)
    }

    func askedFields(_ state: ConversationState) -> [Field] {
        form(state)?.askedFields(answers: state.answers, channel: state.channel) ?? []
    }

    func pack(_ state: ConversationState) -> LanguagePack {
        catalog.pack(state.language)
    }
}
