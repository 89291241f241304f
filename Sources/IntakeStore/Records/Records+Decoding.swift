import Foundation
import GRDB

// Columns named once per record, and column-by-column decoding for the records read on every inbound
// message (GRDB's Codable path builds a Decoder and converts snake_case keys for every row). Decoding
// throws on a value of the wrong type, so a broken row is reported instead of trapping.

extension Contact {
    public enum Columns {
        public static let id = Column("id")
        public static let channel = Column("channel")
        public static let address = Column("address")
        public static let displayName = Column("display_name")
        public static let language = Column("language")
        public static let email = Column("email")
        public static let createdAt = Column("created_at")
        public static let consentVersion = Column("consent_version")
        public static let consentAt = Column("consent_at")
    }

    public init(row: Row) throws {
        id = try row.decode(forColumn: Columns.id)
        consentVersion = try row.decode(forColumn: Columns.consentVersion)
        consentAt = try row.decode(forColumn: Columns.consentAt)
        channel = try row.decode(forColumn: Columns.channel)
        address = try row.decode(forColumn: Columns.address)
        displayName = try row.decode(forColumn: Columns.displayName)
        language = try row.decode(forColumn: Columns.language)
        email = try row.decode(forColumn: Columns.email)
        createdAt = try row.decode(forColumn: Columns.createdAt)
    }
}

extension ConversationRecord {
    public enum Columns {
        public static let id = Column("id")
        public static let contactId = Column("contact_id")
        public static let form = Column("form")
        public static let step = Column("step")
        public static let field = Column("field")
        public static let answers = Column("answers")
        public static let language = Column("language")
        public static let status = Column("status")
        public static let state = Column("state")
        public static let createdAt = Column("created_at")
        public static let updatedAt = Column("updated_at")
    }

    public init(row: Row) throws {
        id = try row.decode(forColumn: Columns.id)
        contactId = try row.decode(forColumn: Columns.contactId)
        form = try row.decode(forColumn: Columns.form)
        step = try row.decode(forColumn: Columns.step)
        field = try row.decode(forColumn: Columns.field)
        answers = try row.decode(forColumn: Columns.answers)
        language = try row.decode(forColumn: Columns.language)
        status = try row.decode(forColumn: Columns.status)
        state = try row.decode(forColumn: Columns.state)
        createdAt = try row.decode(forColumn: Columns.createdAt)
        updatedAt = try row.decode(forColumn: Columns.updatedAt)
    }
}

extension InboundRecord {
    public enum Columns {
        public static let id = Column("id")
        public static let channel = Column("channel")
        public static let externalId = Column("external_id")
        public static let contactId = Column("contact_id")
        public static let conversationId = Column("conversation_id")
        public static let sender = Column("sender")
        public static let threadKey = Column("thread_key")
        public static let rawSize = Column("raw_size")
        public static let text = Column("text")
        public static let receivedAt = Column("received_at")
        public static let processedAt = Column("processed_at")
        public static let error = Column("error")
        public static let raw = Column("raw")
        public static let outcome = Column("outcome")
        public static let messageIds = Column("message_ids")
        public static let deferred = Column("deferred")
    }

    public init(row: Row) throws {
        id = try row.decode(forColumn: Columns.id)
        channel = try row.decode(forColumn: Columns.channel)
        externalId = try row.decode(forColumn: Columns.externalId)
        contactId = try row.decode(forColumn: Columns.contactId)
        conversationId = try row.decode(forColumn: Columns.conversationId)
        sender = try row.decode(forColumn: Columns.sender)
        threadKey = try row.decode(forColumn: Columns.threadKey)
        rawSize = try row.decode(forColumn: Columns.rawSize)
        text = try row.decode(forColumn: Columns.text)
        receivedAt = try row.decode(forColumn: Columns.receivedAt)
        processedAt = try row.decode(forColumn: Columns.processedAt)
        error = try row.decode(forColumn: Columns.error)
        raw = try row.decode(forColumn: Columns.raw)
        outcome = try row.decode(forColumn: Columns.outcome)
        messageIds = try row.decode(forColumn: Columns.messageIds)
        deferred = try row.decode(forColumn: Columns.deferred)
    }
}

extension OutboxMessage {
    public enum Columns {
        public static let id = Column("id")
        public static let channel = Column("channel")
        public static let recipient = Column("recipient")
        public static let contactId = Column("contact_id")
        public static let inboundId = Column("inbound_id")
        public static let subject = Column("subject")
        public static let body = Column("body")
        public static let options = Column("options")
        public static let headers = Column("headers")
        public static let attempts = Column("attempts")
        public static let nextAttemptAt = Column("next_attempt_at")
        public static let sentAt = Column("sent_at")
        public static let lastError = Column("last_error")
        public static let externalId = Column("external_id")
        public static let createdAt = Column("created_at")
        public static let failedAt = Column("failed_at")
        public static let providerStatus = Column("provider_status")
        public static let html = Column("html")
        public static let reviewEventId = Column("review_event_id")
        public static let partsSent = Column("parts_sent")
        public static let purgeOnSend = Column("purge_on_send")
        public static let template = Column("template")
    }

    public init(row: Row) throws {
        id = try row.decode(forColumn: Columns.id)
        channel = try row.decode(forColumn: Columns.channel)
        recipient = try row.decode(forColumn: Columns.recipient)
        contactId = try row.decode(forColumn: Columns.contactId)
        inboundId = try row.decode(forColumn: Columns.inboundId)
        subject = try row.decode(forColumn: Columns.subject)
        body = try row.decode(forColumn: Columns.body)
        options = try row.decode(forColumn: Columns.options)
        headers = try row.decode(forColumn: Columns.headers)
        attempts = try row.decode(forColumn: Columns.attempts)
        nextAttemptAt = try row.decode(forColumn: Columns.nextAttemptAt)
        sentAt = try row.decode(forColumn: Columns.sentAt)
        lastError = try row.decode(forColumn: Columns.lastError)
        externalId = try row.decode(forColumn: Columns.externalId)
        createdAt = try row.decode(forColumn: Columns.createdAt)
        failedAt = try row.decode(forColumn: Columns.failedAt)
        providerStatus = try row.decode(forColumn: Columns.providerStatus)
        html = try row.decode(forColumn: Columns.html)
        reviewEventId = try row.decode(forColumn: Columns.reviewEventId)
        partsSent = try row.decode(forColumn: Columns.partsSent)
        purgeOnSend = try row.decode(forColumn: Columns.purgeOnSend)
        template = try row.decode(forColumn: Columns.template)
    }
}
