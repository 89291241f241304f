import Foundation

/// What a WhatsApp template message needs when the 24-hour window is closed: the kind of message
/// (`received`, `approved`, `reminder`, `draft_expired`, `pledge_update_invite`…: prompts/whatsapp.yaml maps
/// each to a template name), the contributor's language, and the values its parameters are filled from.
public struct OutboxTemplate: Codable, Sendable, Equatable {
    public var kind: String
    public var language: String
    public var values: [String: String]

    public init(kind: String, language: String, values: [String: String]) {
        self.kind = kind
        self.language = language
        self.values = values
    }

    /// The column's JSON, or nil when it cannot be read (the row then goes as text or fails as before).
    public static func from(column: String?) -> OutboxTemplate? {
        column.flatMap { try? JSONDecoder().decode(OutboxTemplate.self, from: Data($0.utf8)) }
    }

    func column() throws -> String { try jsonColumn() }
}
