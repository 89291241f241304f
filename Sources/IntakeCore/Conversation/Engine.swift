import Foundation

/// The conversation engine: a pure function of (catalog, state, contributor, message) to (state, replies, event).
/// No clock, no storage, no randomness: the store runs it inside its transaction.
public struct Engine: Sendable {
    public let catalog: Catalog
    /// The registry's answer for this turn (set from the contributor by `handle`).
    var pledges = PledgeLookup()

    public init(catalog: Catalog) {
        self.catalog = catalog
    }

    /// Handles one message. `state` is nil (or no longer active) for a contributor with no conversation going on;
    /// `language` and `channel` then seed the new one. A stopped state is brought back by "resume".
    /// `fullText` is an email's whole body, quoted template included, when `message` is only what the
    /// contributor wrote above it: structured replies are read from it.
    public func handle(
        _ message: String, fullText: String? = nil, state: ConversationState?, language: String, channel: Channel,
        contributor: Contributor = Contributor()
    ) -> Turn {
        var engine = self
        engine.pledges = contributor.pledges
        return engine.turn(message, fullText: fullText, state: state, language: language, channel: channel, contributor: contributor)
    }

    private func turn(_ message: String, fullText: String?, state: ConversationState?, language: String, channel: Channel, contributor: Contributor) -> Turn {
        let text = message.trimmedSpace
        let command = contributor.command ?? Command.parse(text, catalog: catalog, language: state?.language ?? language)
        guard let state, state.isActive else {
            // "erase my data" is carried out whatever the conversation's step, even with none going on.
            if command == .erase, let turn = handleGlobal(command, state: state ?? ConversationState(language: language, channel: channel), contributor: contributor) {
                return turn
            }
            // A stopped draft comes back only once the current privacy notice is agreed to.
            if let state, state.step == .stopped, contributor.consentedVersion == catalog.privacyNoticeVersion,
                command == .resume || Command.startsWithResume(text, catalog: catalog, language: state.language)
            {
                return resumeStopped(state)
            }
            let seed = ConversationState(language: catalog.languages[language] != nil ? language : catalog.defaultLanguage, channel: channel)
            return begin(text, command: command, state: state.map { ConversationState(language: $0.language, channel: channel) } ?? seed, contributor: contributor)
        }
        if state.pending != nil, let turn = confirmPending(text, command: command, state: state) { return turn }
        var current = state
        current.pending = nil
        if let turn = handleGlobal(command, state: current, contributor: contributor) { return turn }
        if command == nil, current.channel == .email, [.question, .summary].contains(current.step), let turn = structured(fullText ?? text, state: current) {
            return turn
        }
        switch current.step {
        case .consent: return atConsent(text, command: command, state: current)
        case .chooseForm: return chooseForm(text, command: command, state: current)
        case .question: return answer(text, command: command, state: current)
        case .summary: return atSummary(text, command: command, state: current)
        case .submitted, .abandoned, .stopped: return begin(text, command: command, state: current, contributor: contributor)
        }
    }

    /// What to show a contributor who comes back: their current question (or the summary) again.
    public func resume(_ state: ConversationState) -> [Reply] {
        guard state.isActive else { return [] }
        return [Reply(text: pack(state).message(.resume))] + prompt(state)
    }

    /// The first thing a new contributor sees: the greeting and the menu of forms.
    public func greeting(language: String, channel: Channel) -> [Reply] {
        [menu(ConversationState(language: language, channel: channel), intro: .greeting)]
    }

    // MARK: - Steps

    /// A new conversation. Someone who agreed to this version of the privacy notice gets a short welcome and
    /// the menu (or the form their message names); anyone else the notice first. A form named in the first
    /// message is remembered and started once they agree.
    private func begin(_ text: String, command: Command?, state: ConversationState, contributor: Contributor) -> Turn {
        var state = ConversationState(language: state.language, channel: state.channel)
        var changed: String?
        if case .language(let code?)? = command {
            state.language = code
            changed = code
        }
        // "resume my pledge" brings a stopped form back; "متابعة التعهد" (following up the pledge) names a form.
        let named = formChoice(text)
        let resuming =
            command == .resume
            || (named == nil && contributor.consentedVersion != nil && Command.startsWithResume(text, catalog: catalog, language: state.language))
        let chosen = resuming ? nil : named
        let consented = contributor.consentedVersion == catalog.privacyNoticeVersion
        var turn: Turn
        // A reply to a call for updates ("update", the form's own keyword, or anything else) starts on its pledge.
        // "status", "help" or a language keep their meaning.
        let keepsItsMeaning: Bool
        switch command {
        case .status?, .help?, .language?, .erase?: keepsItsMeaning = true
        default: keepsItsMeaning = false
        }
        if let invitation = contributor.invitation, !resuming, !keepsItsMeaning, let update = invitationForm(), chosen == nil || chosen?.form.id == update.id {
            if command == .stop {
                state.step = .abandoned
                return Turn(state: state, replies: [Reply(text: pack(state).message(.campaignOptOut))], event: .invitationDeclined(pledge: invitation.id))
            }
            if consented {
                turn = startInvited(update, pledge: invitation, state: state)
                turn.languageChanged = changed
                return turn
            }
            state.form = update.id
            state.invitedPledge = invitation
        }
        if consented {
            state.step = .chooseForm
            var welcome = pack(state).message(.welcomeBack)
            if contributor.hasStoppedDraft { welcome += "\n" + pack(state).message(.stoppedDraftHint) }
            var before = [Reply(text: welcome)]
            if case .status(let reference)? = command { before += statusReplies(reference, contributor: contributor, state: state) }
            if resuming { before.append(Reply(text: pack(state).message(.nothingToResume))) }
            if let chosen {
                turn = startForm(chosen.form, byWord: !chosen.byNumber, state: state, before: before)
            } else {
                turn = Turn(state: state, replies: before + [menu(state, intro: nil)], event: nil)
            }
        } else {
            state.step = .consent
            if state.invitedPledge == nil {
                state.form = chosen?.form.id
                state.startedByWord = chosen.map { !$0.byNumber } ?? false
            }
            // One message, not two: greeting, privacy notice and question arrive together on a slow link.
            let question = consentQuestion(state)
            let intro = pack(state).message(contributor.consentedVersion == nil ? .greeting : .privacyChanged)
            turn = Turn(state: state, replies: [Reply(text: intro + "\n" + question.text, options: question.options)], event: nil)
        }
        turn.languageChanged = changed
        return turn
    }

    /// The privacy notice's question is answered like any yes/no question (words, option numbers, buttons).
    /// Anything else gets a short reminder, not the whole notice; after three, an explanation and a stop.
    private func atConsent(_ text: String, command: Command?, state: ConversationState) -> Turn {
        var state = state
        let answer = FieldValidator(catalog: catalog, language: state.language).validate(text, for: Self.consentField, answers: [:])
        if command == .confirm || answer == .success(.text("yes")) {
            state.step = .chooseForm
            state.refusals = 0
            var turn: Turn
            if let form = form(state), let pledge = state.invitedPledge {
                turn = startInvited(form, pledge: pledge, state: state)
            } else if let form = form(state) {
                turn = startForm(form, byWord: state.startedByWord, state: state)
            } else {
                turn = Turn(state: state, replies: [menu(state, intro: .consentGiven)], event: nil)
            }
            turn.consentGiven = true
            return turn
        }
        if answer == .success(.text("no")) { return decline(state, .consentDeclined) }
        if command == .help { return Turn(state: state, replies: [consentReminder(state, .consentHelp)], event: nil) }
        // "عربي", "français", or a message in Arabic script to an English notice: the notice again, in that
        // language; it does not count as a refusal.
        if let code = catalog.language(named: text) ?? LanguageDetector.detect(text, catalog: catalog), code != state.language,
            code == catalog.language(named: text) || code == "ar"
        {
            state.language = code
            let question = consentQuestion(state)
            var turn = Turn(state: state, replies: [Reply(text: pack(state).message(.greeting) + "\n" + question.text, options: question.options)], event: nil)
            turn.languageChanged = code
            return turn
        }
        state.refusals += 1
        if state.refusals >= 3 { return decline(state, .consentGaveUp) }
        return Turn(state: state, replies: [consentReminder(state, .consentUnknown)], event: nil)
    }

    static let consentField = Field(id: "consent", type: .yesNo, required: true)

    func decline(_ state: ConversationState, _ message: MessageKey) -> Turn {
        var state = state
        state.step = .abandoned
        state.form = nil
        return Turn(state: state, replies: [Reply(text: pack(state).message(message))], event: .declined)
    }

    private func chooseForm(_ text: String, command: Command?, state: ConversationState) -> Turn {
        if let chosen = formChoice(text) { return startForm(chosen.form, byWord: !chosen.byNumber, state: state) }
        if command == .help {
            return Turn(state: state, replies: [Reply(text: pack(state).message(.help)), menu(state, intro: nil)], event: nil)
        }
        if command == .resume || Command.startsWithResume(text, catalog: catalog, language: state.language) {
            return Turn(state: state, replies: [menu(state, intro: .nothingToResume)], event: nil)
        }
        return Turn(state: state, replies: [menu(state, intro: .formUnknown)], event: nil)
    }

    func startForm(_ form: Form, byWord: Bool, state: ConversationState, before: [Reply] = []) -> Turn {
        var state = state
        state.form = form.id
        state.answers = [:]
        state.skipped = []
        state.startedByWord = byWord
        let formName = pack(state).forms[form.id]?.name ?? form.id
        let intro = Reply(text: pack(state).message(.formStarted, ["form": formName]))
        // By email the whole form comes too, to answer in one go.
        let template = state.channel == .email ? formTemplate(state).map { [$0] } ?? [] : []
        return advance(state, before: before + [intro] + template)
    }

    private func answer(_ text: String, command: Command?, state: ConversationState) -> Turn {
        guard let form = form(state), let fieldId = state.field, let field = form.field(fieldId) else { return advance(state) }
        var state = state
        // "pledge" started the pledge form; a bare "2" right after is the menu choice it looks like.
        if state.startedByWord, state.answers.isEmpty, state.skipped.isEmpty, let number = menuNumber(text),
            ![.choice, .multiChoice, .number, .year, .yesNo, .pledge].contains(field.type)
        {
            return startForm(catalog.forms[number - 1], byWord: false, state: state)
        }
        // Changing an answer ("edit 3"): "ok" or "skip" keeps the one there.
        if state.answers[field.id] != nil, command == .confirm || command == .skip { return advance(state) }
        if field.type == .pledge, !([.help, .back, .summary, .skip] as [Command?]).contains(command), let turn = pledgeAnswer(text, command: command, state: state, field: field) {
            return turn
        }
        switch command {
        case .skip? where !field.required, .none? where !field.required && field.type != .yesNo:
            state.answers[field.id] = nil
            if !state.skipped.contains(field.id) { state.skipped.append(field.id) }
            return advance(state)
        case .skip?:
            return reask(state, note: pack(state).message(.cannotSkip))
        case .back?:
            let asked = askedFields(state)
            guard let index = asked.firstIndex(where: { $0.id == field.id }), index > 0 else {
                return reask(state, note: pack(state).message(.backAtStart))
            }
            state.field = asked[index - 1].id
            state.refusals = 0
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
            state.startedByWord = false
            return advance(state)
        case .failure(let issue):
            state.refusals += 1
            var note = pack(state).message(issue.key, issue.values)
            // The third refusal in a row: the same words again would not help.
            if state.refusals % 3 == 0 { note += "\n" + stuckNote(state, form: form, field: field) }
            return reask(state, note: note)
        }
    }

    /// Another way to say it after three refusals: the question's example, and the way out.
    private func stuckNote(_ state: ConversationState, form: Form, field: Field) -> String {
        let pack = pack(state)
        let help = pack.fieldTexts(form: form.id, field: field.id).help ?? pack.message(.noHelpForField)
        return pack.message(.stuck, ["help": help]) + "\n" + pack.message(field.required ? .stuckRequired : .stuckOptional)
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
            let max = String(form(state)?.channelFields(state.channel).count ?? 0)
            return Turn(state: state, replies: [Reply(text: pack(state).message(.summaryUnknown, ["max": max]))], event: nil)
        }
    }

    /// A stopped draft comes back where it stopped.
    private func resumeStopped(_ state: ConversationState) -> Turn {
        var state = state
        state.step = .question
        state.pending = nil
        state.refusals = 0
        guard form(state) != nil else { return advance(state) }
        return advance(state, before: [Reply(text: pack(state).message(.resume))])
    }

    // MARK: - Moving through the form

    /// Asks the first asked field with neither an answer nor a skip, or shows the summary when none is left.
    func advance(_ state: ConversationState, before: [Reply] = []) -> Turn {
        var state = state
        let previous = state.field
        if let next = askedFields(state).first(where: { state.answers[$0.id] == nil && !state.skipped.contains($0.id) }) {
            state.step = .question
            state.field = next.id
        } else {
            state.step = .summary
            state.field = nil
        }
        if state.field != previous {
            state.refusals = 0
            state.pledgeCandidate = nil
            state.pledgeUnfound = nil
            // A pledge question offers the contributor's own pledges first.
            state.pledgeChoices = state.field.flatMap { form(state)?.field($0) }?.type == .pledge ? pledges.mine : []
        }
        return Turn(state: state, replies: before + prompt(state), event: nil)
    }

    func reask(_ state: ConversationState, note: String) -> Turn {
        Turn(state: state, replies: [Reply(text: note)] + prompt(state), event: nil)
    }

    /// The message that waits for the contributor at the current step.
    func prompt(_ state: ConversationState) -> [Reply] {
        switch state.step {
        case .consent: return [consentQuestion(state)]
        case .chooseForm: return [menu(state, intro: nil)]
        case .question: return [question(state)]
        case .summary: return [summary(state, header: .summaryHeader, footer: .summaryFooter)]
        case .submitted, .abandoned, .stopped: return []
        }
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
