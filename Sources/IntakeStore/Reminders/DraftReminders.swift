import Foundation
import GRDB
import IntakeCore

/// Reminders for drafts left idle, and their expiry. A draft is an active conversation inside a form.
/// - after `remindAfter` (23 hours: inside WhatsApp's 24-hour window) one reminder on its channel;
/// - after `emailAfter` (3 days) a second, by email, when an address is known (the email channel's, or
///   one its owner confirmed);
/// - after `expireAfter` (30 days) the draft is closed (status `expired`) with a notice saying how to start again.
/// Each step is recorded on the conversation in the transaction that queues its message: once, across restarts.
/// A stopped, declined or erased conversation is not active, so it gets none.
public struct DraftReminders: Sendable {
    public let engine: Engine
    public let remindAfter: TimeInterval
    public let emailAfter: TimeInterval
    public let expireAfter: TimeInterval
    public let messageIdDomain: String

    public init(engine: Engine, remindAfterHours: Int = 23, emailAfterDays: Int = 3, expireAfterDays: Int = 30, messageIdDomain: String) {
        self.engine = engine
        remindAfter = TimeInterval(remindAfterHours) * 3600
        emailAfter = TimeInterval(emailAfterDays) * 86_400
        expireAfter = TimeInterval(expireAfterDays) * 86_400
        self.messageIdDomain = messageIdDomain
    }

    public struct Report: Sendable, Equatable {
        public var reminded = 0
        public var emailed = 0
        public var expired = 0
        public init() {}
        public var total: Int { reminded + emailed + expired }
    }

    /// One pass over the idle drafts (at most `limit` of each kind); call it again while it finds some.
    public func sweep(now: Date, limit: Int = 200, db: Database) throws -> Report {
        var report = Report()
        let expiry = now.addingTimeInterval(-expireAfter)
        for record in try idle(before: expiry, since: nil, reminders: nil, limit: limit, db: db) {
            if try expire(record, now: now, db: db) { report.expired += 1 }
        }
        // A draft due to expire gets its expiry notice only (in this pass or the next), never a reminder too.
        for record in try idle(before: now.addingTimeInterval(-remindAfter), since: expiry, reminders: 0, limit: limit, db: db) {
            if try remind(record, now: now, db: db) { report.reminded += 1 }
        }
        for record in try idle(before: now.addingTimeInterval(-emailAfter), since: expiry, reminders: 1, limit: limit, db: db) {
            if try remindByEmail(record, now: now, db: db) { report.emailed += 1 }
        }
        return report
    }

    /// Active drafts last touched before `cutoff` (and at or after `since`), at the given reminder stage.
    private func idle(before cutoff: Date, since: Date?, reminders: Int?, limit: Int, db: Database) throws -> [ConversationRecord] {
        let stage = reminders.map { "AND reminders = \($0)" } ?? ""
        return try ConversationRecord.fetchAll(
            db,
            sql: "SELECT * FROM conversation WHERE status = 'active' AND updated_at < ? AND updated_at >= ? \(stage) ORDER BY updated_at LIMIT ?",
            arguments: [cutoff, since ?? Date.distantPast, limit])
    }

    /// Records the stage reached (and, when a message went, when): `reminded_at` is only ever a sent reminder.
    private func mark(_ record: ConversationRecord, reminders: Int, sent: Bool, now: Date, db: Database) throws {
        try db.execute(
            sql: "UPDATE conversation SET reminders = ?, reminded_at = CASE WHEN ? THEN ? ELSE reminded_at END WHERE id = ?",
            arguments: [reminders, sent, now, record.id])
    }

    private func remind(_ record: ConversationRecord, now: Date, db: Database) throws -> Bool {
        guard let state = try? record.decodedState(), let reply = engine.reminder(state), let contact = try Contact.fetchOne(db, key: record.contactId) else {
            // Not in a form (privacy notice, menu): nothing to remind; the stage is passed so it is not read again.
            try mark(record, reminders: 2, sent: false, now: now, db: db)
            return false
        }
        var row = try OutboxMessage.reply(reply, to: contact, inboundId: nil, at: now)
        if contact.channel == .email {
            guard let mail = engine.reminderEmail(state, channelName: ChannelNames.display(.email, pack: engine.catalog.pack(state.language))) else { return false }
            row = email(to: contact.address, contactId: contact.id, subject: mail.subject, body: reply.text, at: now)
        }
        row.template = try template("reminder", state: state, now: now)
        try row.enqueue(db)
        try mark(record, reminders: 1, sent: true, now: now, db: db)
        return true
    }

    private func remindByEmail(_ record: ConversationRecord, now: Date, db: Database) throws -> Bool {
        guard let state = try? record.decodedState(), let contact = try Contact.fetchOne(db, key: record.contactId),
            let address = try emailAddress(of: contact, db: db),
            let mail = engine.reminderEmail(state, channelName: ChannelNames.display(contact.channel, pack: engine.catalog.pack(state.language)))
        else {
            try mark(record, reminders: 2, sent: false, now: now, db: db)
            return false
        }
        var row = email(to: address, contactId: contact.channel == .email ? contact.id : nil, subject: mail.subject, body: mail.body, at: now)
        try row.enqueue(db)
        try mark(record, reminders: 2, sent: true, now: now, db: db)
        return true
    }

    private func expire(_ record: ConversationRecord, now: Date, db: Database) throws -> Bool {
        try db.execute(sql: "UPDATE conversation SET status = 'expired' WHERE id = ?", arguments: [record.id])
        guard let state = try? record.decodedState(), let notice = engine.expiryNotice(state, days: Int(expireAfter / 86_400)),
            let contact = try Contact.fetchOne(db, key: record.contactId)
        else { return true }
        var row = OutboxMessage.queued(channel: contact.channel, to: contact.address, contactId: contact.id, body: notice.text, at: now)
        if contact.channel == .email { row = email(to: contact.address, contactId: contact.id, subject: notice.subject, body: notice.text, at: now) }
        row.template = try template("draft_expired", state: state, now: now)
        try row.enqueue(db)
        return true
    }

    /// The email channel's address, or one the contact typed and confirmed.
    private func emailAddress(of contact: Contact, db: Database) throws -> String? {
        if contact.channel == .email { return contact.address }
        guard let id = contact.id else { return nil }
        return try String.fetchOne(
            db, sql: "SELECT address FROM email_verification WHERE contact_id = ? AND verified_at IS NOT NULL ORDER BY id DESC LIMIT 1", arguments: [id])
    }

    private func email(to address: String, contactId: Int64?, subject: String, body: String, at now: Date) -> OutboxMessage {
        var row = OutboxMessage.queued(channel: .email, to: address, contactId: contactId, body: body, at: now)
        let messageId = OutboxMessage.newMessageId(domain: messageIdDomain)
        row.subject = subject
        row.externalId = messageId
        row.headers = (try? ["Message-ID": messageId].jsonColumn()) ?? "{}"
        return row
    }

    private func template(_ kind: String, state: ConversationState, now: Date) throws -> String? {
        guard let place = engine.whereabouts(state) else { return nil }
        return try OutboxTemplate(
            kind: kind, language: state.language,
            values: ["form": place.form, "number": String(place.number), "question": place.question, "days": String(Int(expireAfter / 86_400))]
        ).column()
    }
}

/// Channel names as a contributor knows them ("WhatsApp"), for texts that name where they wrote.
public enum ChannelNames {
    public static func display(_ channel: Channel, pack: LanguagePack) -> String {
        switch channel {
        case .whatsapp: return "WhatsApp"
        case .telegram: return "Telegram"
        case .web: return pack.message(.channelNameWeb)
        case .email: return pack.message(.channelNameEmail)
        default: return pack.message(.channelNameChat)
        }
    }
}
