import Foundation

/// Commands that mean the same at every step (stop, restart, language, edit, status, erase), the
/// "are you sure?" before a destructive one, and how a message chooses a form.
extension Engine {
    func handleGlobal(_ command: Command?, state: ConversationState, contributor: Contributor) -> Turn? {
        var state = state
        let answered = state.form != nil && state.step != .consent && !state.answers.isEmpty
        switch command {
        case .erase?:
            var erased = ConversationState(language: state.language, channel: state.channel)
            erased.step = .abandoned
            return Turn(state: erased, replies: [Reply(text: pack(state).message(.erased))], event: .erasureRequested)
        case .stop? where state.step == .consent:
            return decline(state, .consentDeclined)
        case .stop? where answered, .restart? where answered:
            state.pending = command == .stop ? .stop : .restart
            let key: MessageKey = command == .stop ? .confirmStop : .confirmRestart
            return Turn(state: state, replies: [yesNoQuestion(state, pack(state).message(key, ["count": String(state.answers.count)]))], event: nil)
        case .stop?:
            state.step = .abandoned
            state.field = nil
            return Turn(state: state, replies: [Reply(text: pack(state).message(.stopped))], event: .abandoned)
        case .restart? where state.step == .consent:
            return Turn(state: state, replies: prompt(state), event: nil)
        case .restart?:
            return restart(state)
        case .resume? where state.form != nil && state.step != .consent:
            return Turn(state: state, replies: resume(state), event: nil)
        case .language(let code?)?:
            state.language = code
            var turn = Turn(state: state, replies: [Reply(text: pack(state).message(.languageChanged))] + prompt(state), event: nil)
            turn.languageChanged = code
            return turn
        case .language(nil)?:
            let names = catalog.languageCodes.map { "\(catalog.pack($0).name) (\($0))" }
            return Turn(state: state, replies: [Reply(text: pack(state).message(.languageUnknown, ["languages": pack(state).list(names)]))] + prompt(state), event: nil)
        case .status(let reference)? where state.step != .consent:
            return Turn(state: state, replies: statusReplies(reference, contributor: contributor, state: state) + prompt(state), event: nil)
        case .edit(let number)? where state.form != nil && state.step != .consent:
            // Numbered as the questions and the summary are: over every field the channel may ask.
            let all = form(state)?.channelFields(state.channel) ?? []
            let asked = Set(askedFields(state).map(\.id))
            let max = String(Swift.max(all.count, 1))
            guard let number, number >= 1, number <= all.count, asked.contains(all[number - 1].id) else {
                let note = number.map { pack(state).message(.editUnknown, ["number": String($0), "max": max]) } ?? pack(state).message(.editWhich, ["max": max])
                return state.step == .summary ? Turn(state: state, replies: [Reply(text: note)], event: nil) : reask(state, note: note)
            }
            state.step = .question
            state.field = all[number - 1].id
            state.refusals = 0
            return Turn(state: state, replies: prompt(state), event: nil)
        case .summary? where state.step == .summary:
            return Turn(state: state, replies: prompt(state), event: nil)
        default:
            return nil
        }
    }

    private func restart(_ state: ConversationState) -> Turn {
        var fresh = ConversationState(language: state.language, channel: state.channel)
        fresh.step = .chooseForm
        return Turn(state: fresh, replies: [Reply(text: pack(fresh).message(.restarted)), menu(fresh, intro: nil)], event: nil)
    }

    /// The answer to "are you sure?": yes carries the command out (a stop keeps the answers, to resume);
    /// no goes on where it was. Anything else drops the question and is read as usual (nil).
    func confirmPending(_ text: String, command: Command?, state: ConversationState) -> Turn? {
        guard let pending = state.pending else { return nil }
        var state = state
        state.pending = nil
        let answer = FieldValidator(catalog: catalog, language: state.language).validate(text, for: Self.consentField, answers: [:])
        if command == .confirm || answer == .success(.text("yes")) || (command == .stop && pending == .stop) || (command == .restart && pending == .restart) {
            switch pending {
            case .stop:
                state.step = .stopped
                state.field = nil
                return Turn(state: state, replies: [Reply(text: pack(state).message(.stoppedKept))], event: .abandoned)
            case .restart:
                return restart(state)
            }
        }
        if answer == .success(.text("no")) {
            return Turn(state: state, replies: [Reply(text: pack(state).message(.goingOn))] + prompt(state), event: nil)
        }
        return nil
    }

    /// The contributor's own submissions (never anyone else's): one when a reference is named.
    func statusReplies(_ reference: String?, contributor: Contributor, state: ConversationState) -> [Reply] {
        let pack = pack(state)
        let items = contributor.submissions
        if let reference {
            guard let item = items.first(where: { $0.reference == reference }) else {
                return [Reply(text: pack.message(.statusUnknown, ["reference": reference]))]
            }
            return [Reply(text: statusLine(item, pack: pack) + "\n" + pack.message(Self.nextKey(item.status)))]
        }
        guard let latest = items.first else { return [Reply(text: pack.message(.statusNone))] }
        let lines = [pack.message(.statusHeader)] + items.prefix(10).map { statusLine($0, pack: pack) } + [pack.message(Self.nextKey(latest.status))]
        return [Reply(text: lines.joined(separator: "\n"))]
    }

    private func statusLine(_ item: OwnSubmission, pack: LanguagePack) -> String {
        pack.message(
            .statusLine,
            ["reference": item.reference, "form": pack.forms[item.form]?.name ?? item.form, "title": item.title, "state": pack.message(Self.stateKey(item.status))])
    }

    private static func stateKey(_ status: SubmissionStatus) -> MessageKey {
        switch status {
        case .approved: return .statusStateApproved
        case .rejected: return .statusStateRejected
        case .changesRequested: return .statusStateChangesRequested
        case .submitted: return .statusStateSubmitted
        }
    }

    private static func nextKey(_ status: SubmissionStatus) -> MessageKey {
        switch status {
        case .approved: return .statusNextApproved
        case .rejected: return .statusNextRejected
        case .changesRequested: return .statusNextChangesRequested
        case .submitted: return .statusNextSubmitted
        }
    }

    /// A question answered yes or no, with the two as buttons.
    func yesNoQuestion(_ state: ConversationState, _ text: String) -> Reply {
        let pack = pack(state)
        let options = ["yes", "no"].enumerated().map { Reply.Option(number: $0 + 1, id: $1, label: pack.label(list: "yes_no", option: $1)) }
        return Reply(text: text, options: options)
    }

    /// The short reminder when the privacy question was not answered: the question, not the whole notice again.
    func consentReminder(_ state: ConversationState, _ key: MessageKey) -> Reply {
        yesNoQuestion(state, pack(state).message(key))
    }

    // MARK: - Choosing a form

    private static let numberPunctuation = CharacterSet(charactersIn: " .)")

    /// A bare menu number ("2", "٢.") within the menu.
    func menuNumber(_ text: String) -> Int? {
        // A menu number is a digit or two with a stop or a bracket ("2.", "(٢)"), not a sentence.
        guard text.utf8.count <= 24 else { return nil }
        guard let number = Int(NumberParser.asciiDigits(text).trimmingCharacters(in: Self.numberPunctuation)),
            catalog.forms.indices.contains(number - 1)
        else { return nil }
        return number
    }

    /// The form a message chooses: by its menu number, or by the phrases it contains ("I want to share a
    /// good practice"): the form of the longest phrase, once forms beaten by another one named are out
    /// ("faire le point sur notre engagement" names the update and the pledge: the update wins over the
    /// pledge). A tie is no choice.
    public func formChoice(_ text: String) -> (form: Form, byNumber: Bool)? {
        if let number = menuNumber(text) { return (catalog.forms[number - 1], true) }
        let key = MatchKey.make(text)
        guard !key.isEmpty else { return nil }
        if let exact = catalog.formsByPhrase[key], exact.forms.count == 1 { return (catalog.forms[exact.forms[0]], false) }
        guard key.utf8.count <= 800, key.count <= 200 else { return nil }
        let words = key.split(separator: " ")
        var longest: [Int: Int] = [:]  // form index → its longest phrase in the message
        for start in words.indices where catalog.formPhraseStarts.contains(words[start]) {
            var run = ""
            for end in start..<min(words.count, start + catalog.longestFormPhrase) {
                if end > start { run += " " }
                run += words[end]
                guard let found = catalog.formsByPhrase[run] else { continue }
                for form in found.forms { longest[form] = max(longest[form] ?? 0, found.length) }
            }
        }
        let named = Set(longest.keys.map { catalog.forms[$0].id })
        let beaten = Set(longest.keys.flatMap { catalog.forms[$0].winsOver }.filter(named.contains))
        let remaining = longest.filter { !beaten.contains(catalog.forms[$0.key].id) }
        guard let best = remaining.values.max() else { return nil }
        let winners = remaining.filter { $0.value == best }.map(\.key)
        guard winners.count == 1 else { return nil }
        return (catalog.forms[winners[0]], false)
    }
}
