/// A call for updates: the pledge's contact replies, and the update form starts with that pledge as its answer.
extension Engine {
    /// The form that reports on a pledge (the one with a `pledge` field).
    func invitationForm() -> Form? {
        catalog.forms.first { form in form.fields.contains { $0.type == .pledge } }
    }

    /// The update form with its pledge question answered; the first question still open comes next.
    func startInvited(_ form: Form, pledge: PledgeSummary, state: ConversationState) -> Turn {
        var state = state
        state.form = form.id
        state.answers = [:]
        state.skipped = []
        state.invitedPledge = nil
        state.step = .question
        if let field = form.fields.first(where: { $0.type == .pledge }) { state.answers[field.id] = .text(pledge.id) }
        let started = pack(state).message(.pledgeUpdateStarted, ["pledge_id": pledge.id, "title": pledge.title])
        return advance(state, before: [Reply(text: started)])
    }
}
