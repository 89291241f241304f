import Foundation
import GRDB
import IntakeCore

/// A conversation row: the engine's whole state as JSON, plus columns for querying it.
public struct ConversationRecord: IntakeRecord, Sendable, Equatable {
    public static let databaseTableName = "conversation"
    public var id: Int64?
    public var contactId: Int64
    public var form: String?
    public var step: String
    public var field: String?
    public var answers: String
    public var language: String
    /// active | submitted | abandoned
    public var status: ConversationStatus
    public var state: String
    public var createdAt: Date
    public var updatedAt: Date

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public func decodedState() throws -> ConversationState {
        try ConversationState.fromJSONColumn(state)
    }

    /// Copies `state` into the row, keeping the query columns in step with the JSON.
    @_spi(Pipeline) public mutating func store(_ state: ConversationState, at now: Date) throws {
        form = state.form
        step = state.step.rawValue
        field = state.field
        answers = try state.answers.jsonColumn()
        language = state.language
        status = ConversationStatus(state)
        self.state = try state.jsonColumn()
        updatedAt = now
    }

    @_spi(Pipeline) public static func new(contactId: Int64, state: ConversationState, at now: Date) throws -> ConversationRecord {
        var record = ConversationRecord(
            id: nil, contactId: contactId, form: nil, step: "", field: nil, answers: "{}", language: state.language, status: .active,
            state: "{}", createdAt: now, updatedAt: now)
        try record.store(state, at: now)
        return record
    }
}
