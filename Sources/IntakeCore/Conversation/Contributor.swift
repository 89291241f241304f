/// What the store knows about the person writing that the engine needs, beyond the conversation:
/// whether they agreed to the privacy notice, and (for "status") what they sent.
public struct Contributor: Sendable, Equatable {
    /// The version of the privacy notice they agreed to; nil when they never did.
    public var consentedVersion: String?
    /// Their own submissions, newest first. Filled by the store only for a "status" message.
    public var submissions: [OwnSubmission]
    /// The registry's answer for a pledge question; filled by the store when the conversation may need it.
    public var pledges: PledgeLookup
    /// A form they stopped is kept: a new conversation says "resume" brings it back.
    public var hasStoppedDraft = false
    /// The message's command as the store already parsed it (`.some(nil)`: none), so it is not parsed twice.
    public var command: Command?? = nil
    /// A call for updates asked them about this pledge and they have not reported since: their reply starts
    /// the update form tied to it ("stop" opts out).
    public var invitation: PledgeSummary?

    public init(consentedVersion: String? = nil, submissions: [OwnSubmission] = [], pledges: PledgeLookup = PledgeLookup()) {
        self.consentedVersion = consentedVersion
        self.submissions = submissions
        self.pledges = pledges
    }
}

/// One of the contributor's submissions, as "status" shows it.
public struct OwnSubmission: Sendable, Equatable {
    public let reference: String
    public let form: String
    public let title: String
    public let status: SubmissionStatus

    public init(reference: String, form: String, title: String, status: SubmissionStatus) {
        self.reference = reference
        self.form = form
        self.title = title
        self.status = status
    }
}
