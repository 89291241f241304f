import Foundation

/// "Which pledge?": an exact id is confirmed by its title; words offer up to five matches by number (and
/// "none of these"); the contributor's own pledges are offered first. Words that find nothing, sent
/// again, are kept as written, so a pledge missing from the registry never blocks finishing.
extension Engine {
    func pledgeAnswer(_ text: String, command: Command?, state: ConversationState, field: Field) -> Turn? {
        var state = state
        let pack = pack(state)
        if pledges.registryEmpty, state.pledgeChoices.isEmpty, state.pledgeCandidate == nil { return nil }  // plain text, as before
        // After "no, not this one" or "none of these": what they write next is kept as written (unless it is an exact id).
        if state.pledgeUnfound == Self.declinedMark, pledges.exact == nil { return nil }
        let yesNo = FieldValidator(catalog: catalog, language: state.language).validate(text, for: Self.consentField, answers: [:])
        if let candidate = state.pledgeCandidate {
            state.pledgeCandidate = nil
            if command == .confirm || yesNo == .success(.text("yes")) { return accept(candidate, state: state, field: field) }
            if yesNo == .success(.text("no")) {
                state.pledgeUnfound = Self.declinedMark
                return reask(state, note: pack.message(.pledgeSearch))
            }
        }
        if !state.pledgeChoices.isEmpty, let number = Int(NumberParser.asciiDigits(text).trimmingCharacters(in: CharacterSet(charactersIn: " .)"))) {
            if (1...state.pledgeChoices.count).contains(number) { return accept(state.pledgeChoices[number - 1], state: state, field: field) }
            if number == state.pledgeChoices.count + 1 {
                state.pledgeChoices = []
                state.pledgeUnfound = Self.declinedMark
                return reask(state, note: pack.message(.pledgeSearch))
            }
            let max = String(state.pledgeChoices.count + 1)
            return reask(state, note: pack.message(.invalidChoiceNumber, ["value": ValidationIssue.quote(text), "max": max]))
        }
        if let exact = pledges.exact { return confirm(exact, state: state) }
        let looksLikeId = !text.contains(" ") && text.contains(where: \.isNumber) && text.count <= 40
        if !looksLikeId, pledges.matches.count == 1 { return confirm(pledges.matches[0], state: state) }
        if !looksLikeId, pledges.matches.count > 1 {
            state.pledgeChoices = pledges.matches
            state.pledgeUnfound = nil
            return reask(state, note: pack.message(.pledgeMatches))
        }
        // Nothing found: said once; the same words again are kept as the contributor wrote them.
        if state.pledgeUnfound == text { return nil }
        state.pledgeUnfound = text
        state.pledgeChoices = []
        let note = looksLikeId ? pack.message(.pledgeUnknown, ["id": ValidationIssue.quote(text)]) : pack.message(.pledgeNoMatch)
        return reask(state, note: note)
    }

    /// In `pledgeUnfound`: the contributor said the pledges found are not theirs.
    static let declinedMark = "\u{0}declined"

    private func confirm(_ pledge: PledgeSummary, state: ConversationState) -> Turn {
        var state = state
        state.pledgeCandidate = pledge
        state.pledgeUnfound = nil
        let text = pack(state).message(.pledgeConfirm, ["id": pledge.id, "title": pledge.title, "entity": pledge.entity])
        return Turn(state: state, replies: [yesNoQuestion(state, text)], event: nil)
    }

    private func accept(_ pledge: PledgeSummary, state: ConversationState, field: Field) -> Turn {
        var state = state
        state.answers[field.id] = .text(pledge.id)
        state.skipped.removeAll { $0 == field.id }
        state.pledgeChoices = []
        state.pledgeCandidate = nil
        state.pledgeUnfound = nil
        state.startedByWord = false
        return advance(state)
    }

    /// The numbered pledges offered at a pledge question, with "none of these" last.
    func pledgeLines(_ state: ConversationState) -> (lines: [String], options: [Reply.Option]) {
        guard !state.pledgeChoices.isEmpty else { return ([], []) }
        let pack = pack(state)
        var options = state.pledgeChoices.enumerated().map { index, pledge in
            Reply.Option(number: index + 1, id: pledge.id, label: pack.message(.pledgeOption, ["id": pledge.id, "title": pledge.title]))
        }
        options.append(Reply.Option(number: options.count + 1, id: "none", label: pack.message(.pledgeNone)))
        let header = state.pledgeChoices == pledges.mine ? pack.message(.pledgeYours) : nil
        return ((header.map { [$0] } ?? []) + options.map { "\($0.number). \($0.label)" }, options)
    }
}
