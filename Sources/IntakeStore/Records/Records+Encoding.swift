import Foundation
import GRDB

// Column-by-column encoding for the records written on every inbound message: GRDB's Codable path
// (an Encoder per row and a snake_case conversion per key) was a tenth of the writer's time under load.
// Dates are stored as Codable would store them (`Date.databaseValue`).

extension Contact {
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["channel"] = channel
        container["address"] = address
        container["display_name"] = displayName
        container["language"] = language
        container["email"] = email
        container["created_at"] = StoredDate.text(createdAt)
        container["consent_version"] = consentVersion
        container["consent_at"] = StoredDate.text(consentAt)
    }
}

extension ConversationRecord {
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["contact_id"] = contactId
        container["form"] = form
        container["step"] = step
        container["field"] = field
        container["answers"] = answers
        container["language"] = language
        container["status"] = status
        container["state"] = state
        container["created_at"] = StoredDate.text(createdAt)
        container["updated_at"] = StoredDate.text(updatedAt)
    }
}

extension InboundRecord {
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["channel"] = channel
        container["external_id"] = externalId
        container["contact_id"] = contactId
        container["conversation_id"] = conversationId
        container["sender"] = sender
        container["thread_key"] = threadKey
        container["raw_size"] = rawSize
        container["text"] = text
        container["received_at"] = StoredDate.text(receivedAt)
        container["processed_at"] = StoredDate.text(processedAt)
        container["error"] = error
        container["raw"] = raw
        container["outcome"] = outcome
        container["message_ids"] = messageIds
        container["deferred"] = deferred
    }
}

extension OutboxMessage {
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["channel"] = channel
        container["recipient"] = recipient
        container["contact_id"] = contactId
        container["inbound_id"] = inboundId
        container["subject"] = subject
        container["body"] = body
        container["options"] = options
        container["headers"] = headers
        container["attempts"] = attempts
        container["next_attempt_at"] = StoredDate.text(nextAttemptAt)
        container["sent_at"] = StoredDate.text(sentAt)
        container["last_error"] = lastError
        container["external_id"] = externalId
        container["created_at"] = StoredDate.text(createdAt)
        container["failed_at"] = StoredDate.text(failedAt)
        container["provider_status"] = providerStatus
        container["html"] = html
        container["review_event_id"] = reviewEventId
        container["parts_sent"] = partsSent
        container["purge_on_send"] = purgeOnSend
        container["template"] = template
    }
}
