/// Where one contributor is in one conversation. Saved as JSON after every message, so a
/// conversation resumes days later exactly where it stopped.
public struct ConversationState: Codable, Sendable, Equatable {
    public enum Step: String, Codable, Sendable {
        /// The privacy notice was shown: waiting for an explicit yes before anything more is kept.
        case consent
        /// Waiting for the contributor to pick a form.
        case chooseForm = "choose_form"
        /// Waiting for the answer to `field`.
        case question
        /// Showing the summary, waiting for "ok" or "edit N".
        case summary
        /// Sent: a submission was made from it.
        case submitted
        /// Stopped by the contributor before anything was answered.
        case abandoned
        /// Stopped by the contributor with answers kept: "resume" brings it back (until retention removes it).
        case stopped
    }

    /// A destructive command waiting for "yes" before it is carried out.
    public enum Pending: String, Codable, Sendable {
        case stop, restart
    }

    public var language: String
    /// The channel the contributor writes on: some fields are not asked on some channels.
    public var channel: Channel
    public var form: String?
    public var step: Step
    public var field: String?
    public var answers: [String: Answer]
    /// Optional fields the contributor chose to skip, so they are not asked again.
    public var skipped: [String]
    /// The reference of the submission this conversation edits after a reviewer asked for changes;
    /// confirming updates that submission instead of making a new one.
    public var editing: String?
    /// Answers refused in a row at the current step (the consent question or `field`): after three, the
    /// engine explains differently instead of repeating itself.
    public var refusals: Int
    /// "stop" or "restart" asked for, waiting for the contributor to confirm.
    public var pending: Pending?
    /// The form was started by a word in the message ("pledge"), not by its menu number: a bare number
    /// right after is read as the menu choice it looks like.
    public var startedByWord: Bool
    /// At a pledge question: the pledges offered by number (the contributor's own, or a search's matches).
    public var pledgeChoices: [PledgeSummary]
    /// At a pledge question: the pledge found, waiting for "is this it?".
    public var pledgeCandidate: PledgeSummary?
    /// At a pledge question: the last words that found nothing; sent again, they are kept as written.
    public var pledgeUnfound: String?
    /// The pledge a call for updates invited them to report on: the update form starts tied to it (after consent).
    public var invitedPledge: PledgeSummary?

    public init(language: String, channel: Channel) {
        self.language = language
        self.channel = channel
        self.form = nil
        self.step = .chooseForm
        self.field = nil
        self.answers = [:]
        self.skipped = []
        self.editing = nil
        self.refusals = 0
        self.pending = nil
        self.startedByWord = false
        self.pledgeChoices = []
        self.pledgeCandidate = nil
        self.pledgeUnfound = nil
        self.invitedPledge = nil
    }

    /// Still going on: a new message continues it rather than starting a new one.
    public var isActive: Bool {
        step != .submitted && step != .abandoned && step != .stopped
    }

    private enum CodingKeys: String, CodingKey {
        case language, channel, form, step, field, answers, skipped, editing, refusals, pending, startedByWord, pledgeChoices, pledgeCandidate
        case pledgeUnfound
        case invitedPledge
    }

    /// Written on every message: fields at their default are left out (and decode as it).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(language, forKey: .language)
        try container.encode(channel, forKey: .channel)
        try container.encodeIfPresent(form, forKey: .form)
        try container.encode(step, forKey: .step)
        try container.encodeIfPresent(field, forKey: .field)
        try container.encode(answers, forKey: .answers)
        if !skipped.isEmpty { try container.encode(skipped, forKey: .skipped) }
        try container.encodeIfPresent(editing, forKey: .editing)
        if refusals != 0 { try container.encode(refusals, forKey: .refusals) }
        try container.encodeIfPresent(pending, forKey: .pending)
        if startedByWord { try container.encode(startedByWord, forKey: .startedByWord) }
        if !pledgeChoices.isEmpty { try container.encode(pledgeChoices, forKey: .pledgeChoices) }
        try container.encodeIfPresent(pledgeCandidate, forKey: .pledgeCandidate)
        try container.encodeIfPresent(pledgeUnfound, forKey: .pledgeUnfound)
        try container.encodeIfPresent(invitedPledge, forKey: .invitedPledge)
    }

    /// States saved before a field existed decode with its default.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        language = try container.decode(String.self, forKey: .language)
        channel = try container.decode(Channel.self, forKey: .channel)
        form = try container.decodeIfPresent(String.self, forKey: .form)
        step = try container.decode(Step.self, forKey: .step)
        field = try container.decodeIfPresent(String.self, forKey: .field)
        answers = try container.decodeIfPresent([String: Answer].self, forKey: .answers) ?? [:]
        skipped = try container.decodeIfPresent([String].self, forKey: .skipped) ?? []
        editing = try container.decodeIfPresent(String.self, forKey: .editing)
        refusals = try container.decodeIfPresent(Int.self, forKey: .refusals) ?? 0
        pending = try container.decodeIfPresent(Pending.self, forKey: .pending)
        startedByWord = try container.decodeIfPresent(Bool.self, forKey: .startedByWord) ?? false
        pledgeChoices = try container.decodeIfPresent([PledgeSummary].self, forKey: .pledgeChoices) ?? []
        pledgeCandidate = try container.decodeIfPresent(PledgeSummary.self, forKey: .pledgeCandidate)
        pledgeUnfound = try container.decodeIfPresent(String.self, forKey: .pledgeUnfound)
        invitedPledge = try container.decodeIfPresent(PledgeSummary.self, forKey: .invitedPledge)
    }
}
