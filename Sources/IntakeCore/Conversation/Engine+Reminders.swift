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
    public func reminderEmail(_ state: ConversationState, channelName: String) -> (subject: String, body: String)? {
        guard let place = whereabouts(state) else { return nil }
        let pack = pack(state)
        let body = pack.message(.reminderEmailBody, ["form": place.form, "number": String(place.number), "question": place.question, "channel": channelName])
        return (pack.message(.reminderEmailSubject), body)
    }

    /// The notice that an unfinished draft was closed after `days` days; nil when there was no form.
    public func expiryNotice(_ state: ConversationState, days: Int) -> (subject: String, text: String)? {
        guard let place = whereabouts(state) else { return nil }
        let pack = pack(state)
        return (pack.message(.draftExpiredSubject), pack.message(.draftExpired, ["form": place.form, "days": String(days)]))
    }
}

/// What the engine does with a file sent instead of words (the channel fetched it; the pipeline kept it).
extension Engine {
    /// How a message that is only a file is read.
    public enum MediaReading: Sendable, Equatable {
        /// A voice note answering a long-text question: `text` stands as the answer (`answerWithVoice`), `note` goes first.
        case answer(text: String, note: String)
        /// Anything else: `note` and the question again; the conversation does not move.
        case note(String)
    }

    /// A voice note or recording answers a long-text question; any other file is acknowledged (or refused,
    /// with why) and the current question asked again. Nil when there is no conversation in a step to repeat.
    public func readMedia(_ media: InboundMedia, state: ConversationState?) -> MediaReading? {
        guard let state, state.isActive, state.step != .consent else { return nil }
        let pack = pack(state)
        switch media.problem {
        case .tooLarge(let limit)?: return .note(pack.message(.mediaTooLarge, ["limit": pack.message(.sizeMegabytes, ["count": String(max(1, limit / (1024 * 1024)))])]))
        case .notAllowed?: return .note(pack.message(.mediaNotAllowed))
        case .unavailable?: return .note(pack.message(.mediaUnavailable))
        case nil: break
        }
        if media.kind == .voice || media.kind == .audio, state.step == .question, let form = form(state), let fieldId = state.field, let field = form.field(fieldId),
            field.type == .longText
        {
            let text = pack.message(.voiceAnswer, ["duration": media.durationText ?? ""])
            return .answer(text: text, note: pack.message(.voiceAnswerAccepted))
        }
        let kinds: [InboundMedia.Kind: MessageKey] = [
            .voice: .mediaKindVoice, .audio: .mediaKindAudio, .photo: .mediaKindPhoto, .video: .mediaKindVideo, .document: .mediaKindDocument,
        ]
        return .note(pack.message(.mediaReceived, ["kind": pack.message(kinds[media.kind] ?? .mediaKindDocument)]))
    }

    /// A voice note as the answer to the current question: kept as `text` (its length limits do not apply:
    /// a reviewer listens to it), and the next question.
    public func answerWithVoice(_ state: ConversationState, text: String, note: String) -> Turn {
        var state = state
        guard state.step == .question, let fieldId = state.field else { return reask(state, note: note) }
        state.answers[fieldId] = .text(text)
        state.skipped.removeAll { $0 == fieldId }
        return advance(state, before: [Reply(text: note)])
    }

    /// The note and the current step's message again, the state unchanged.
    public func repeatStep(_ state: ConversationState, note: String) -> Turn {
        reask(state, note: note)
    }
}
