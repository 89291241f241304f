import Foundation
import GRDB
import IntakeCore

/// Erases a contributor's personal data (their right to erasure, or a declined privacy notice):
/// contact details, what they sent (text, raw mail, attachments), drafts, unapproved submissions and
/// the messages to them. Approved submissions stay, anonymised. What was removed is counted in
/// `erasure` and in the audit trail, never whose it was.
public struct Eraser: Sendable {
    public let catalog: Catalog

    public init(catalog: Catalog) {
        self.catalog = catalog
    }

    /// What an erasure removed.
    public struct Report: Codable, Sendable, Equatable {
        public var contacts = 0
        public var inbound = 0
        public var submissionsDeleted = 0
        public var submissionsAnonymised = 0
    }

    /// The contacts an address stands for: on any channel, the contact whose own address it is exactly
    /// (emails case-insensitively), and chat contacts who gave it as their contact email and whose
    /// owner confirmed it. An address merely typed by someone else is nobody's identity.
    public func contacts(matching address: String, db: Database) throws -> [Int64] {
        let key = address.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { return [] }
        var ids = Set(
            try Int64.fetchAll(db, sql: "SELECT id FROM contact WHERE address = ? OR (channel = 'email' AND address = lower(?))", arguments: [key, key]))
        ids.formUnion(
            try Int64.fetchAll(
                db, sql: "SELECT contact_id FROM email_verification WHERE address = lower(?) AND verified_at IS NOT NULL", arguments: [key]))
        return ids.sorted()
    }

    /// Forgets `contactIds`: their own rows only (messages they sent, from their address on their
    /// channel; replies and notices to them; drafts; submissions) and the exact addresses that are theirs
    /// inside reviewers' notes on their submissions. `keeping` are outbox rows still to go out (the
    /// confirmation of an erasure asked for in the conversation): they stay, unlinked, and are deleted
    /// once delivered. Ids of erased messages become keyed hashes, so a redelivery is still recognised.
    @discardableResult
    public func forget(contactIds: [Int64], address: String? = nil, requestedBy: String, keeping: [Int64] = [], at now: Date, db: Database) throws -> Report {
        var report = Report()
        let key = try ErasedId.key(db)
        let kept = keeping.isEmpty ? "" : " AND id NOT IN (\(keeping.map(String.init).joined(separator: ",")))"
        if let address = address?.trimmingCharacters(in: .whitespacesAndNewlines), !address.isEmpty {
            // Rows of that exact address linked to no contact (mail never answered, a confirmation request).
            report.inbound += try scrubInbound(
                where: "contact_id IS NULL AND (sender = ? OR (channel = 'email' AND sender = lower(?)))", arguments: [address, address], key: key, db: db)
            try db.execute(
                sql: "DELETE FROM outbox WHERE contact_id IS NULL AND (recipient = ? OR (channel = 'email' AND lower(recipient) = lower(?)))\(kept)",
                arguments: [address, address])
            // A pledge contact who never wrote: the registry's entry and the calls for updates sent there.
            if let registryKey = PledgeRegistry.contactKey(address) { try forgetRegistryAddress(registryKey, db: db) }
        }
        for id in contactIds {
            guard let contact = try Contact.fetchOne(db, key: id) else { continue }
            var addresses = Set([contact.address] + (contact.email.map { [$0] } ?? []))
            let submissions = try Submission.filter(Submission.Columns.contactId == id).fetchAll(db)
            for submission in submissions {
                if case .text(let given)? = catalog.form(submission.kind)?.answer(role: "email", in: try submission.decodedAnswers()) { addresses.insert(given) }
            }
            report.inbound += try scrubInbound(
                where: "contact_id = ? OR (channel = ? AND sender = ?)", arguments: [id, contact.channel, contact.address], key: key, db: db)
            // Their address or number as a contact of pledges in the registry goes too.
            // So do the calls for updates sent to them. A Telegram chat id or a web visitor's address is no phone
            // number: only email addresses and numbers of phone channels are looked for there.
            let phoneLike = [Channel.email, .whatsapp, .generic].contains(contact.channel)
            for key in addresses.filter({ $0 != contact.address || phoneLike }).compactMap(PledgeRegistry.contactKey) {
                try forgetRegistryAddress(key, db: db)
            }
            let submissionIds = submissions.compactMap(\.id)
            if !submissionIds.isEmpty {
                let list = submissionIds.map(String.init).joined(separator: ",")
                // Notices about their submissions, wherever they were sent (a typed email has no contact link).
                try db.execute(sql: "DELETE FROM outbox WHERE review_event_id IN (SELECT id FROM review_event WHERE submission_id IN (\(list)))\(kept)")
                try scrubNotes(submissionIds: submissionIds, addresses: addresses, db: db)
            }
            for submission in submissions {
                if submission.status == .approved {
                    try anonymise(submission, requestedBy: requestedBy, at: now, db: db)
                    report.submissionsAnonymised += 1
                } else {
                    try submission.delete(db)
                    report.submissionsDeleted += 1
                }
            }
            // Our confirmation request to an address they typed goes with them (its record goes with the contact).
            try db.execute(
                sql: "DELETE FROM outbox WHERE channel = 'email' AND external_id IN (SELECT message_id FROM email_verification WHERE contact_id = ?)\(kept)",
                arguments: [id])
            try db.execute(sql: "DELETE FROM outbox WHERE contact_id = ?\(kept)", arguments: [id])
            try db.execute(sql: "DELETE FROM outbox WHERE channel = ? AND recipient = ?\(kept)", arguments: [contact.channel, contact.address])
            try db.execute(sql: "UPDATE outbox SET contact_id = NULL, purge_on_send = 1 WHERE contact_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM conversation WHERE contact_id = ?", arguments: [id])
            report.contacts += try Contact.deleteOne(db, key: id) ? 1 : 0
        }
        if !keeping.isEmpty {
            try db.execute(sql: "UPDATE outbox SET purge_on_send = 1 WHERE id IN (\(keeping.map(String.init).joined(separator: ",")))")
        }
        try record(report, requestedBy: requestedBy, at: now, db: db)
        return report
    }

    /// An address (email in lower case, phone as digits) out of the registry's contacts and the calls for updates.
    private func forgetRegistryAddress(_ key: String, db: Database) throws {
        try db.execute(sql: "DELETE FROM pledge_contact WHERE address = ?", arguments: [key])
        try db.execute(sql: "DELETE FROM campaign_invite WHERE recipient = ?", arguments: [key])
    }

    /// Replaces the contributor's exact addresses (as whole words) in reviewers' notes on their submissions.
    private func scrubNotes(submissionIds: [Int64], addresses: Set<String>, db: Database) throws {
        let list = submissionIds.map(String.init).joined(separator: ",")
        let rows = try Row.fetchAll(db, sql: "SELECT id, note FROM review_event WHERE submission_id IN (\(list)) AND note IS NOT NULL")
        for row in rows {
            let note: String = row["note"]
            let scrubbed = ExactToken.replace(addresses.filter { !$0.isEmpty }, in: note, with: "[erased]")
            if scrubbed != note { try db.execute(sql: "UPDATE review_event SET note = ? WHERE id = ?", arguments: [scrubbed, row["id"] as Int64]) }
        }
    }

    /// The erasure's row in `erasure`: what was removed, never whose.
    private func record(_ report: Report, requestedBy: String, at now: Date, db: Database) throws {
        try db.execute(
            sql: "INSERT INTO erasure (at, requested_by, contacts, inbound, submissions_deleted, submissions_anonymised) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [now, requestedBy, report.contacts, report.inbound, report.submissionsDeleted, report.submissionsAnonymised])
    }

    /// A declined privacy notice: the conversation and the messages in it go; the contact goes too
    /// unless they have other conversations or submissions (the reply saying so still goes out).
    public func declined(conversationId: Int64, contactId: Int64, keeping: [Int64] = [], at now: Date, db: Database) throws {
        var report = Report()
        // What we said in that conversation goes too (it named them: their number or address), except the
        // reply saying so, which is deleted once delivered.
        let kept = keeping.isEmpty ? "" : " AND id NOT IN (\(keeping.map(String.init).joined(separator: ",")))"
        try db.execute(sql: "DELETE FROM outbox WHERE inbound_id IN (SELECT id FROM inbound WHERE conversation_id = ?)\(kept)", arguments: [conversationId])
        if !keeping.isEmpty {
            try db.execute(sql: "UPDATE outbox SET purge_on_send = 1 WHERE id IN (\(keeping.map(String.init).joined(separator: ",")))")
        }
        report.inbound = try scrubInbound(where: "conversation_id = ?", arguments: [conversationId], key: try ErasedId.key(db), db: db)
        try db.execute(sql: "DELETE FROM conversation WHERE id = ?", arguments: [conversationId])
        let others = try Int.fetchOne(
            db, sql: "SELECT (SELECT COUNT(*) FROM conversation WHERE contact_id = ?) + (SELECT COUNT(*) FROM submission WHERE contact_id = ?)",
            arguments: [contactId, contactId]) ?? 0
        if others == 0 {
            try db.execute(sql: "UPDATE inbound SET contact_id = NULL WHERE contact_id = ?", arguments: [contactId])
            try db.execute(sql: "UPDATE outbox SET contact_id = NULL WHERE contact_id = ?", arguments: [contactId])
            report.contacts = try Contact.deleteOne(db, key: contactId) ? 1 : 0
        }
        try record(report, requestedBy: "declined", at: now, db: db)
    }

    /// Empties inbound rows (text, raw source, sender, threading ids, attachments) but keeps the row,
    /// so a redelivery of the same message is still recognised and not processed again.
    private func scrubInbound(where condition: String, arguments: StatementArguments = [], key: Data, db: Database) throws -> Int {
        try db.execute(sql: "DELETE FROM attachment WHERE inbound_id IN (SELECT id FROM inbound WHERE \(condition))", arguments: arguments)
        let rows = try Row.fetchAll(db, sql: "SELECT id, channel, external_id FROM inbound WHERE \(condition)", arguments: arguments)
        for row in rows {
            let externalId: String = row["external_id"]
            let hashed = externalId.hasPrefix(ErasedId.prefix) ? externalId : ErasedId.make(channel: row["channel"], externalId: externalId, key: key)
            try db.execute(
                sql: """
                    UPDATE inbound SET text = '', raw = NULL, sender = '', thread_key = NULL, message_ids = NULL, error = NULL, contact_id = NULL,
                    deferred = NULL, outcome = 'erased', external_id = ? WHERE id = ?
                    """, arguments: [hashed, row["id"] as Int64])
        }
        return rows.count
    }

    /// Keeps an approved submission for the platform without whoever sent it: personal fields and the
    /// link to the contact go, and the audit trail says so.
    private func anonymise(_ submission: Submission, requestedBy: String, at now: Date, db: Database) throws {
        var submission = submission
        var answers = try submission.decodedAnswers()
        for field in catalog.form(submission.kind)?.fields ?? [] where field.personal { answers[field.id] = nil }
        submission.answers = try answers.jsonColumn()
        submission.contactId = nil
        submission.conversationId = nil
        submission.updatedAt = now
        try submission.update(db)
        var event = ReviewEvent(id: nil, submissionId: submission.id!, reviewer: requestedBy, action: .anonymised, note: nil, at: now)
        try event.insert(db)
    }
}
