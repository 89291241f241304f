/// The kinds of answer a field accepts; each has its own parsing and validation.
public enum FieldType: String, Sendable, CaseIterable, Codable {
    case text, longText = "long_text", choice, multiChoice = "multi_choice", country, date, year, email, url, number
    case yesNo = "yes_no"
    /// A pledge of the registry, named by its id or words of its title (looked up, then confirmed).
    case pledge
}

/// When a field is asked at all, judged on earlier answers (skip logic).
public enum Relevance: Sendable, Equatable {
    /// The answer to `field` equals `value` (a choice id, or "yes"/"no").
    case equals(field: String, value: String)
    /// The answer to `field` (a list) contains `value`.
    case includes(field: String, value: String)

    public var field: String {
        switch self {
        case .equals(let field, _), .includes(let field, _): return field
        }
    }

    public func holds(in answers: [String: Answer]) -> Bool {
        switch self {
        case .equals(let field, let value): return answers[field]?.values == [value]
        case .includes(let field, let value): return answers[field]?.values.contains(value) ?? false
        }
    }
}

/// One question of a form, as declared in `prompts/forms/<form>.yaml`.
public struct Field: Sendable, Equatable {
    public let id: String
    public let type: FieldType
    public let required: Bool
    public let multiple: Bool
    public let minLength: Int?
    public let maxLength: Int?
    /// For text: the answer must hold this many letters (a title of only digits or emoji says nothing).
    public let minLetters: Int?
    public let min: Double?
    public let max: Double?
    /// For years: the answer must not be lower than this other field's answer.
    public let minField: String?
    /// For years: "ongoing" (in the contributor's words) is an accepted answer.
    public let allowOngoing: Bool
    /// Option list id (prompts/forms/options.yaml) for choice fields, or extra answers for countries.
    public let optionList: String?
    public let options: [String]
    public let relevant: Relevance?
    /// Channels on which the field is not asked (the channel already gives the answer).
    public let skipOnChannels: [Channel]
    /// Personal data (a name, an address): removed when a contributor asks to be forgotten.
    public let personal: Bool
    /// For yes/no: only a plain yes or no counts ("yes, but without my name" is asked again).
    public let strict: Bool

    public init(
        id: String, type: FieldType, required: Bool, multiple: Bool = false, minLength: Int? = nil, maxLength: Int? = nil,
        minLetters: Int? = nil, min: Double? = nil, max: Double? = nil, minField: String? = nil, allowOngoing: Bool = false,
        optionList: String? = nil, options: [String] = [], relevant: Relevance? = nil, skipOnChannels: [Channel] = [],
        personal: Bool = false, strict: Bool = false
    ) {
        self.id = id
        self.type = type
        self.required = required
        self.multiple = multiple || type == .multiChoice
        self.minLength = minLength
        self.maxLength = maxLength
        self.minLetters = minLetters
        self.min = min
        self.max = max
        self.minField = minField
        self.allowOngoing = allowOngoing
        self.optionList = optionList
        self.options = options
        self.relevant = relevant
        self.skipOnChannels = skipOnChannels
        self.personal = personal
        self.strict = strict
    }

    /// Options offered for choice-like fields, in display order ("yes"/"no" for yes_no).
    public var choiceOptions: [String] {
        type == .yesNo ? ["yes", "no"] : options
    }

    /// The option list whose labels name `choiceOptions`.
    public var labelList: String? {
        type == .yesNo ? "yes_no" : optionList
    }
}

/// A form: an ordered list of fields and the prefix of the references its submissions get.
public struct Form: Sendable, Equatable {
    public let id: String
    public let referencePrefix: String
    public let fields: [Field]
    /// Which field plays which part for reviewers, exports and notices: "title", "entity", "countries",
    /// "entity_type", "status", "email" (where notices go), "consent" (may be published).
    public let roles: [String: String]
    /// Forms this one is chosen over when a first message names both ("faire le point sur notre
    /// engagement" names the update and the pledge: it is an update).
    public let winsOver: [String]

    public init(id: String, referencePrefix: String, fields: [Field], roles: [String: String] = [:], winsOver: [String] = []) {
        self.id = id
        self.referencePrefix = referencePrefix
        self.fields = fields
        self.roles = roles
        self.winsOver = winsOver
    }

    /// The field with `role`, if the form has one.
    public func field(role: String) -> Field? {
        roles[role].flatMap { field($0) }
    }

    /// The answer to the field with `role`, if the form has one and it was answered.
    public func answer(role: String, in answers: [String: Answer]) -> Answer? {
        roles[role].flatMap { answers[$0] }
    }

    public func field(_ id: String) -> Field? {
        fields.first { $0.id == id }
    }

    /// Whether `field` is asked, given the answers so far and the channel the contributor uses.
    public func isAsked(_ field: Field, answers: [String: Answer], channel: Channel) -> Bool {
        if field.skipOnChannels.contains(channel) { return false }
        guard let relevant = field.relevant else { return true }
        guard let parent = self.field(relevant.field), isAsked(parent, answers: answers, channel: channel) else { return false }
        return relevant.holds(in: answers)
    }

    /// The fields that may be asked on `channel`, whatever the answers: the stable total of "question N of M".
    public func channelFields(_ channel: Channel) -> [Field] {
        fields.filter { !$0.skipOnChannels.contains(channel) }
    }

    /// The fields asked on `channel` with these answers, in form order.
    public func askedFields(answers: [String: Answer], channel: Channel) -> [Field] {
        fields.filter { isAsked($0, answers: answers, channel: channel) }
    }
}
