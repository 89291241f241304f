/// How the engine words its questions, menus and summaries, all from the language pack.
extension Engine {
    func menu(_ state: ConversationState, intro: MessageKey?) -> Reply {
        let pack = pack(state)
        let options = catalog.forms.enumerated().map { index, form in
            Reply.Option(number: index + 1, id: form.id, label: pack.forms[form.id]?.menu ?? form.id)
        }
        var lines: [String] = intro.map { [pack.message($0)] } ?? []
        lines += options.map { "\($0.number). \($0.label)" }
        lines.append(pack.message(.chooseFormHint))
        return Reply(text: lines.joined(separator: "\n"), options: options)
    }

    func question(_ state: ConversationState) -> Reply {
        guard let form = form(state), let fieldId = state.field, let field = form.field(fieldId) else { return menu(state, intro: nil) }
        let pack = pack(state)
        // Counted over every field this channel may ask, so the total stays put as optional questions appear.
        let all = form.channelFields(state.channel)
        let number = (all.firstIndex { $0.id == field.id } ?? 0) + 1
        var lines = [
            pack.message(.questionNumber, ["number": String(number), "total": String(all.count)]),
            pack.fieldTexts(form: form.id, field: field.id).question,
        ]
        var options: [Reply.Option] = []
        if field.type == .pledge {
            let offered = pledgeLines(state)
            lines += offered.lines
            options = offered.options
        }
        if let list = field.labelList, field.type != .country {
            options = field.choiceOptions.enumerated().map { Reply.Option(number: $0 + 1, id: $1, label: pack.label(list: list, option: $1)) }
            lines += options.map { "\($0.number). \($0.label)" }
        }
        switch field.type {
        case .choice: lines.append(pack.message(.choiceHint))
        case .multiChoice: lines.append(pack.message(.multiChoiceHint))
        case .yesNo: lines.append(pack.message(.yesNoHint))
        case .country:
            lines.append(pack.message(.countryHint))
            if let list = field.optionList {
                let extras = pack.list(field.options.map { pack.label(list: list, option: $0) })
                lines.append(pack.message(.countryExtraHint, ["extra": extras]))
            }
        default: break
        }
        if !field.required { lines.append(pack.message(.optionalHint)) }
        if let current = state.answers[field.id] {
            lines.append(pack.message(.currentAnswer, ["answer": display(current, field: field, pack: pack)]))
        }
        return Reply(text: lines.joined(separator: "\n"), options: options)
    }

    /// The privacy notice and its yes/no question, with yes/no as buttons on chat channels.
    func consentQuestion(_ state: ConversationState) -> Reply {
        yesNoQuestion(state, pack(state).message(.privacyNotice) + "\n" + pack(state).message(.consentQuestion))
    }

    func summary(_ state: ConversationState, header: MessageKey, footer: MessageKey?) -> Reply {
        guard form(state) != nil else { return menu(state, intro: nil) }
        let pack = pack(state)
        var lines = [pack.message(header)]
        for row in summaryRows(state) where row.value != nil || row.skipped || footer != nil {
            lines.append(pack.message(.summaryLine, ["number": String(row.number), "label": row.label, "value": row.value ?? pack.message(.skipped)]))
        }
        if lines.count == 1 { lines.append(pack.message(.summaryEmpty)) }
        if let footer { lines.append(pack.message(footer)) }
        return Reply(text: lines.joined(separator: "\n"))
    }

    /// The summary of stored answers (a submission's), labelled in `language` (the default when not loaded).
    public func summaryRows(form: String, answers: [String: Answer], language: String, channel: Channel) -> [SummaryRow] {
        var state = ConversationState(language: catalog.languages[language] != nil ? language : catalog.defaultLanguage, channel: channel)
        state.form = form
        state.answers = answers
        state.step = .summary
        return summaryRows(state)
    }

    /// The numbered lines of a summary, numbered as "edit N" reads them and as the questions were
    /// ("Question N of M": over every field the channel may ask): every field asked, its label and its
    /// answer as the contributor reads it (nil when not answered).
    public func summaryRows(_ state: ConversationState) -> [SummaryRow] {
        guard let form = form(state) else { return [] }
        let pack = pack(state)
        let numbers = Dictionary(uniqueKeysWithValues: form.channelFields(state.channel).enumerated().map { ($1.id, $0 + 1) })
        return askedFields(state).map { field in
            SummaryRow(
                number: numbers[field.id] ?? 0, fieldId: field.id, label: pack.fieldTexts(form: form.id, field: field.id).label,
                value: state.answers[field.id].map { display($0, field: field, pack: pack) }, skipped: state.skipped.contains(field.id))
        }
    }

    /// An answer as the contributor reads it: option labels and country names in their language.
    public func display(_ answer: Answer, field: Field, pack: LanguagePack) -> String {
        switch (field.type, answer) {
        case (.year, .text("ongoing")):
            return pack.words("ongoing").first ?? "ongoing"
        case (.country, _):
            return answer.values.map { value in
                if let list = field.optionList, field.options.contains(value) { return pack.label(list: list, option: value) }
                return pack.countryName(value)
            }.joined(separator: pack.listSeparator)
        case (.choice, _), (.multiChoice, _), (.yesNo, _):
            guard let list = field.labelList else { return pack.list(answer.values) }
            return pack.list(answer.values.map { pack.label(list: list, option: $0) })
        default:
            return pack.list(answer.values)
        }
    }
}

/// One numbered line of a summary.
public struct SummaryRow: Sendable, Equatable {
    public let number: Int
    public let fieldId: String
    public let label: String
    public let value: String?
    public let skipped: Bool
}
