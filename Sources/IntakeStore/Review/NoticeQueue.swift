import Foundation
import GRDB
import IntakeCore
import IntakeNotices

/// Puts the notices about one review event into the outbox, in the transaction that records the event:
/// an email when an address is known (the email channel's, or the form's contact email) and a chat
/// message on the contributor's chat channel. A unique index (event, channel) makes it once per event.
public struct NoticeQueue: Sendable {
    public let renderer: NoticeRenderer
    public let messageIdDomain: String

    public init(renderer: NoticeRenderer, messageIdDomain: String) {
        self.renderer = renderer
        self.messageIdDomain = messageIdDomain
    }

    /// Queues `kind` about `submission` for `event`; returns the outbox ids (none when the contributor was erased).
    @discardableResult
    @_spi(Pipeline) public func queue(_ kind: NoticeKind, submission: Submission, event: ReviewEvent, note: String?, at now: Date, db: Database) throws -> [Int64] {
        guard let contactId = submission.contactId, let contact = try Contact.fetchOne(db, key: contactId) else { return [] }
        let answers = try submission.decodedAnswers()
        let notice = renderer.render(
            kind,
            submission: NoticeSubmission(
                reference: submission.reference, form: submission.kind, answers: answers, channel: submission.channel, language: submission.language),
            note: note)
        var rows: [OutboxMessage] = []
        if contact.channel != .email {
            var chat = row(channel: contact.channel, to: contact.address, contactId: contactId, text: notice.text, event: event, at: now)
            // Outside WhatsApp's 24-hour window the notice goes as a template filled with these values.
            var values = ["reference": submission.reference, "note": note ?? ""]
            if case .text(let title)? = renderer.catalog.form(submission.kind)?.answer(role: "title", in: answers) { values["title"] = title }
            chat.template = try OutboxTemplate(kind: kind.rawValue, language: submission.language, values: values).column()
            rows.append(chat)
        }
        if let address = try emailAddress(contact: contact, submission: submission, answers: answers, at: now, db: db) {
            // Only the email channel's own contact threads back: a chat contributor's reply by email starts afresh.
            var email = row(channel: .email, to: address, contactId: contact.channel == .email ? contactId : nil, text: notice.text, event: event, at: now)
            let messageId = OutboxMessage.newMessageId(domain: messageIdDomain)
            email.subject = "\(notice.subject) [\(submission.reference)]"
            email.html = notice.html
            email.externalId = messageId
            var headers = ["Message-ID": messageId]
            if contact.channel == .email, let thread = try Self.lastInboundEmail(contactId: contactId, db: db) {
                headers["In-Reply-To"] = thread.inReplyTo
                headers["References"] = thread.references.joined(separator: " ")
            }
            email.headers = try headers.jsonColumn()
            rows.append(email)
        }
        var ids: [Int64] = []
        for var row in rows {
            try row.enqueue(db)
            ids.append(row.id!)
        }
        return ids
    }

    private func row(channel: Channel, to recipient: String, contactId: Int64?, text: String, event: ReviewEvent, at now: Date) -> OutboxMessage {
        var row = OutboxMessage.queued(channel: channel, to: recipient, contactId: contactId, body: text, at: now)
        row.reviewEventId = event.id
        return row
    }

    /// Where a notice by email may go: the email contributor's own address, or an address a chat
    /// contributor typed once its owner confirmed it. An unconfirmed address gets one confirmation
    /// request (never the contributor's text) and nothing else.
    private func emailAddress(contact: Contact, submission: Submission, answers: [String: Answer], at now: Date, db: Database) throws -> String? {
        if contact.channel == .email { return contact.address }
        guard case .text(let typed)? = renderer.catalog.form(submission.kind)?.answer(role: "email", in: answers), let contactId = contact.id else {
            return nil
        }
        let address = typed.lowercased()
        if try EmailVerification.isVerified(contactId: contactId, address: address, db: db) { return address }
        try requestConfirmation(of: address, contact: contact, language: submission.language, at: now, db: db)
        return nil
    }

    /// Queues the one confirmation request an address ever gets from us (whoever typed it, however often).
    private func requestConfirmation(of address: String, contact: Contact, language: String, at now: Date, db: Database) throws {
        guard let contactId = contact.id, try !EmailVerification.wasRequested(address: address, db: db) else { return }
        let pack = renderer.catalog.pack(language)
        let messageId = OutboxMessage.newMessageId(domain: messageIdDomain)
        let channelName = ChannelNames.display(contact.channel, pack: pack)
        var row = OutboxMessage.queued(
            channel: .email, to: address, contactId: nil, body: pack.message(.emailVerificationBody, ["channel": channelName]), at: now)
        row.subject = pack.message(.emailVerificationSubject)
        row.externalId = messageId
        row.headers = try ["Message-ID": messageId].jsonColumn()
        try row.enqueue(db)
        var verification = EmailVerification(id: nil, contactId: contactId, address: address, messageId: messageId, sentAt: now, verifiedAt: nil)
        try verification.insert(db)
    }

    /// The contributor's latest email with a Message-ID of its own: what a notice answers, to stay in the thread.
    static func lastInboundEmail(contactId: Int64, db: Database) throws -> (inReplyTo: String, references: [String])? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT external_id, message_ids FROM inbound WHERE channel = 'email' AND contact_id = ? AND external_id NOT LIKE 'sha256:%' ORDER BY id DESC LIMIT 1",
                arguments: [contactId])
        else { return nil }
        let id: String = row["external_id"]
        let earlier = try (row["message_ids"] as String?).map { try [String].fromJSONColumn($0) } ?? []
        return (id, MailReferences.capped(earlier + [id]))
    }
}

extension NoticeQueue {
    /// Queues the reviewers' digest of `items` to `address` (an email, sent by `serve`'s outbox).
    public func queueDigest(_ items: [QueueItem], to address: String, language: String, at now: Date, db: Database) throws -> Int64 {
        let notice = renderer.renderDigest(
            items.map { DigestItem(reference: $0.reference, kind: $0.kind, title: $0.title, status: $0.status, days: $0.ageSeconds / 86_400, assignedTo: $0.assignedTo) },
            language: language)
        let messageId = OutboxMessage.newMessageId(domain: messageIdDomain)
        var row = OutboxMessage.queued(channel: .email, to: address, contactId: nil, body: notice.text, at: now)
        row.subject = notice.subject
        row.html = notice.html
        row.externalId = messageId
        row.headers = try ["Message-ID": messageId].jsonColumn()
        try row.enqueue(db)
        return row.id!
    }
}
