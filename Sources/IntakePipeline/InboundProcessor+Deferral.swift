import Foundation
import GRDB
import IntakeCore
@_spi(Pipeline) import IntakeStore

// Deferral: a message that may not be answered now (reply cap, full outbox, earlier messages waiting)
// is kept with what the pipeline needs, and answered later by `resumeDeferred`, in order.
extension InboundProcessor {
    /// Why this contact's message must wait: their reply cap is reached, the outbox is full, or earlier
    /// messages of theirs are waiting (answered in order). Nil when it can be answered now.
    func reasonToWait(contact: Contact, channel: Channel, now: Date, db: Database, ignoring inboundId: Int64? = nil) throws -> String? {
        guard let contactId = contact.id else { return nil }
        if try InboundRecord.deferredCount(contactId: contactId, before: inboundId, db: db) > 0 { return "earlier messages of this contact are waiting" }
        if let cap = policy.replyCaps[channel], try OutboxMessage.count(to: contactId, since: now.addingTimeInterval(-cap.window), db: db) >= cap.count {
            return "more than \(cap.count) replies in \(Int(cap.window)) s to this contact"
        }
        if try OutboxMessage.backlog(db) >= policy.outboxCeiling { return "the outbox is full (\(policy.outboxCeiling) rows waiting)" }
        return nil
    }

    /// Keeps the message to answer later, or, past the contact's bound of waiting messages, for good.
    func postpone(_ inbound: inout InboundRecord, _ message: InboundMessage, contact: Contact, reason: String, now: Date, db: Database) throws
        -> InboundOutcome
    {
        guard try InboundRecord.deferredCount(contactId: try contact.id.required("contact"), before: nil, db: db) < policy.deferredPerContact else {
            return try finish(&inbound, .rateLimited, reason + "; too many messages waiting", now: now, db: db)
        }
        inbound.outcome = .deferred
        inbound.error = reason
        inbound.deferred = try DeferredMessage(message).jsonColumn()
        try inbound.saveOutcome(db)
        return .recorded(inboundId: try inbound.id.required("inbound"), outcome: .deferred, reason: reason)
    }

    /// Answers waiting messages whose contact may be answered again, oldest first; returns how many.
    public func resumeDeferred(now: Date, limit: Int = 100, db: Database) throws -> Int {
        var done = 0
        var blocked = Set<Int64>()
        for var inbound in try InboundRecord.deferred(limit: limit, db: db) {
            guard let contactId = inbound.contactId, !blocked.contains(contactId), let contact = try Contact.fetchOne(db, key: contactId) else { continue }
            guard let saved = inbound.deferred, let deferred = try? DeferredMessage.fromJSONColumn(saved) else {
                _ = try finish(&inbound, .failed, "waiting message unreadable", now: now, db: db)
                continue
            }
            if try reasonToWait(contact: contact, channel: inbound.channel, now: now, db: db, ignoring: inbound.id) != nil {
                blocked.insert(contactId)
                continue
            }
            inbound.deferred = nil
            _ = try converse(&inbound, deferred.message(inbound), contact: contact, now: now, db: db)
            done += 1
        }
        return done
    }
}
