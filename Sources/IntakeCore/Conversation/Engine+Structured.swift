/// Structured email: the whole form sent as a plain-text template, and replies that answer several
/// questions at once. Each value is validated exactly as in a chat; what is still missing or invalid is
/// asked again, all in one message, and once nothing is missing the summary follows.
extension Engine {
    /// The form as a template to answer under: "[N] Label (required)", the question, the options.
    func formTemplate(_ state: ConversationState) -> Reply? {
        guard let form = form(state) else { return nil }
        let pack = pack(state)
        var lines = [pack.message(.formTemplateIntro), "", pack.message(.formTemplateHeader, ["form": pack.forms[form.id]?.name ?? form.id])]
        for (index, field) in StructuredReply.Layout.fields(form: form, channel: state.channel).enumerated() {
            lines += templateEntry(field, number: index + 1, form: form, pack: pack, note: nil) + ["", ""]
        }
        lines.append(pack.message(.formTemplateFooter))
        return Reply(text: lines.joined(separator: "\n"))
    }

    private func templateEntry(_ field: Field, number: Int, form: Form, pack: LanguagePack, note: String?) -> [String] {
        let texts = pack.fieldTexts(form: form.id, field: field.id)
        let marker = pack.message(field.required ? .formTemplateRequired : .formTemplateOptional)
        var lines = ["[\(number)] \(texts.label) \(marker)", note ?? texts.question]
        if let list = field.labelList, field.type != .country {
            let options = field.choiceOptions.enumerated().map { String($0 + 1) + " " + pack.label(list: list, option: $1) }.joined(separator: " · ")
            lines.append(pack.message(.formTemplateOptions, ["options": options]))
        }
        return lines
    }

    /// Applies a reply that answers several questions; nil when it is a plain answer to the current question.
    func structured(_ text: String, state: ConversationState) -> Turn? {
        guard let form = form(state) else { return nil }
        let layout = StructuredReply.Layout(form: form, channel: state.channel, catalog: catalog)
        let reply = StructuredReply.parse(text, layout: layout)
        let current = state.step == .question ? state.field.flatMap { form.field($0) } : nil
        guard Self.isStructured(reply, current: current) else { return nil }
        var state = state
        let validator = FieldValidator(catalog: catalog, language: state.language)
        let skipWords = Set(validator.keys("skip"))
        var accepted = 0
        var problems: [String: String] = [:]
        for value in reply.values {
            guard let field = form.field(value.field) else { continue }
            if !field.required, skipWords.contains(MatchKey.make(value.text)) {
                state.answers[field.id] = nil
                if !state.skipped.contains(field.id) { state.skipped.append(field.id) }
                continue
            }
            switch validator.validate(value.text, for: field, answers: state.answers) {
            case .success(let answer):
                state.answers[field.id] = answer
                state.skipped.removeAll { $0 == field.id }
                accepted += 1
            case .failure(let issue):
                problems[field.id] = pack(state).message(issue.key, issue.values)
            }
        }
        // What the reply left out of the optional questions is not asked again; required ones are.
        let asked = askedFields(state)
        for field in asked where !field.required && state.answers[field.id] == nil && !state.skipped.contains(field.id) && problems[field.id] == nil {
            state.skipped.append(field.id)
        }
        let pending = asked.filter { problems[$0.id] != nil || ($0.required && state.answers[$0.id] == nil) }
        let pack = pack(state)
        let noted = Reply(text: pack.message(.structuredNoted, ["count": String(accepted)]))
        guard let first = pending.first else {
            state.step = .summary
            state.field = nil
            return Turn(state: state, replies: [noted] + prompt(state), event: nil)
        }
        state.step = .question
        state.field = first.id
        let numbers = Dictionary(uniqueKeysWithValues: layout.fields.enumerated().map { ($1.id, $0 + 1) })
        var lines = [pack.message(.structuredMissing), ""]
        for field in pending {
            let question = pack.fieldTexts(form: form.id, field: field.id).question
            lines += templateEntry(field, number: numbers[field.id] ?? 0, form: form, pack: pack, note: problems[field.id].map { $0 + "\n" + question }) + [""]
        }
        lines.append(pack.message(.structuredFooter))
        return Turn(state: state, replies: [noted, Reply(text: lines.joined(separator: "\n"))], event: nil)
    }

    /// Whether a reply answers several questions (or another than the current one), rather than being a
    /// plain answer that happens to contain a colon or a number.
    static func isStructured(_ reply: StructuredReply, current: Field?) -> Bool {
        guard !reply.values.isEmpty else { return false }
        // Prose for a long answer may contain "Partners: …" or a numbered list: it is the answer itself.
        if current?.type == .longText, !reply.startsWithMarker, reply.bracketMarkers == 0, !reply.templateSeen { return false }
        if reply.bracketMarkers + reply.labelMarkers >= 1 || reply.numberMarkers >= 2 { return true }
        return reply.values.count >= 2 || (reply.templateSeen && reply.values.first?.field != current?.id)
    }
}
