/// A pledge as a conversation shows it: its id (imported "GRF-01234" or our "GCR-PL-000001"), title and entity.
public struct PledgeSummary: Sendable, Equatable, Codable {
    public let id: String
    public let title: String
    public let entity: String

    public init(id: String, title: String, entity: String) {
        self.id = id
        self.title = title
        self.entity = entity
    }
}

/// What the registry says about the message, looked up by the store before the engine runs (the engine
/// stays a pure function): the contributor's own pledges, the pledge whose id the message is, and the
/// pledges its words find.
public struct PledgeLookup: Sendable, Equatable {
    /// Pledges the contributor's address or phone is a contact of.
    public var mine: [PledgeSummary]
    /// The pledge whose id is exactly the message, if any.
    public var exact: PledgeSummary?
    /// Up to five pledges the message's words find, best first.
    public var matches: [PledgeSummary]
    /// Nothing registered at all: a pledge is then named in the contributor's own words.
    public var registryEmpty: Bool

    public init(mine: [PledgeSummary] = [], exact: PledgeSummary? = nil, matches: [PledgeSummary] = [], registryEmpty: Bool = true) {
        self.mine = mine
        self.exact = exact
        self.matches = matches
        self.registryEmpty = registryEmpty
    }
}
