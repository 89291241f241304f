/// What the engine says to a contributor who went quiet in the middle of a form: the reminder (where
/// they stopped, the question again with its choices), the email reminder, and the expiry notice.
extension Engine {
    /// Where a draft stopped: the form's name, the question's number (as the questions count it) and text.
    public struct Whereabouts: Sendable, Equatable {
        public let form: String
        public let number: Int
        public let question: String
        public let options: [Reply.Option]
    }

    /// nil when the conversation is not in a form (at the privacy notice, the menu, or finished).
    public func whereabouts(_ state: ConversationState) -> Whereabouts? {
        guard state.isActive, let form = form(state), state.step == .question || state.step == .summary else { return nil }
        let pack = pack(state)
        let all = form.channelFields(state.channel)
        let name = pack.forms[form.id]?.name ?? form.id
        guard state.step == .question, let fieldId = state.field, let index = all.firstIndex(where: { $0.id == fieldId }) else {
            // At the summary: the question is "send it?".
            return Whereabouts(form: name, number: all.count, question: pack.message(.summaryHeader), options: [])
        }
        return Whereabouts(form: name, number: index + 1, question: pack.fieldTexts(form: form.id, field: fieldId).question, options: question(state).options)
    }

    /// The reminder on the contributor's channel, with the question's choices as buttons.
    public func reminder(_ state: ConversationState) -> Reply? {
        guard let place = whereabouts(state) else { return nil }
        let text = pack(state).message(.reminder, ["form": place.form, "number": String(place.number), "question": place.question])
        return Reply(text: text, options: place.options)
    }

    /// The second reminder, by email: subject and body. `channel` names where they started ("WhatsApp").
    public func reminderEmail(_ state: ConversationState, channel: String) -> (subject: String, body: String)? {
        guard let place = whereabouts(state) else { return nil }
        let pack = pack(state)
        let body = pack.message(.reminderEmailBody, ["form": place.form, "number": String(place.number), "question": place.question, "channel": channel])
        return (pack.message(.reminderEmailSubject), body)
    }

    /// The notice that an unfinished draft was closed after `days` days; nil when there was no form.
    public func expiryNotice(_ state: ConversationState, days: Int) -> (subject: String, text: String)? {
        guard let place = whereabouts(state) else { return nil }
        let pack = pack(state)
        return (pack.message(.draftExpiredSubject), pack.message(.draftExpired, ["form": place.form, "days": String(days)]))
    }
}
