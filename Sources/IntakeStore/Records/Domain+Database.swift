import GRDB
import IntakeCore

/// Stored by their raw values; a value that is none of theirs fails to decode (the row is reported, not trapped on).
extension Channel: DatabaseValueConvertible {}
extension SubmissionStatus: DatabaseValueConvertible {}
extension ConversationStatus: DatabaseValueConvertible {}
extension MessageOutcome: DatabaseValueConvertible {}
extension ReviewEventAction: DatabaseValueConvertible {}
