import IntakeCore
@_spi(Pipeline) import IntakeStore

// Files on chat channels: a voice note can answer a long-text question; any other file is acknowledged
// (or refused, saying why) and the question asked again. The file itself is an attachment of the message.
extension InboundProcessor {
    /// The turn for `message`: `handle` runs the engine on its text; a voice note answering a long-text question
    /// stands as the answer, and a file alone that answers nothing leaves the conversation where it is.
    func withMedia(_ message: InboundMessage, state: ConversationState?, handle: (String) -> Turn) -> Turn {
        guard let media = message.media, let reading = engine.readMedia(media, state: state), let state else { return handle(message.text) }
        let captioned = !message.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        switch reading {
        case .answer(let text, let note) where !captioned:
            return engine.answerWithVoice(state, text: text, note: note)
        case .note(let note) where !captioned:
            return engine.repeatStep(state, note: note)
        case .note(let note):
            // A photo with a caption: the caption is the answer, the photo is kept and acknowledged.
            var turn = handle(message.text)
            turn.replies.insert(Reply(text: note), at: 0)
            return turn
        case .answer:
            return handle(message.text)
        }
    }
}
