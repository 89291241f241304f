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

    /// The contacts an address stands for: on any channel, as the contact's own address or email, or
    /// as the contact email given in one of their submissions. Emails compare case-insensitively.
    public func contacts(matching address: String, db: Database) throws -> [Int64] {
        let key = address.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { return [] }
        var ids = Set(
            try Int64.fetchAll(
                db, sql: "SELECT id FROM contact WHERE address = ? OR lower(address) = lower(?) OR lower(email) = lower(?)", arguments: [key, key, key]))
        let candidates = try Row.fetchAll(
            db, sql: "SELECT contact_id, kind, answers FROM submission WHERE contact_id IS NOT NULL AND instr(lower(answers), lower(?)) > 0", arguments: [key])
        for row in candidates where try contactEmail(row)?.lowercased() == key.lowercased() {
            ids.insert(row["contact_id"])
        }
        return ids.sorted()
    }

    /// The contact email given in a submission row (its `kind` and `answers` columns).
    private func contactEmail(_ row: Row) throws -> String? {
        guard case .text(let given)? = catalog.form(row["kind"])?.answer(role: "email", in: try [String: Answer].fromJSONColumn(row["answers"])) else { return nil }
        return given
    }

    /// Forgets `contactIds` (and `address` wherever else it appears). `keeping` are outbox rows still to
    /// go out (the confirmation of an erasure asked for in the conversation): they stay, unlinked.
    @discardableResult
    public func forget(contactIds: [Int64], address: String?, requestedBy: String, keeping: [Int64] = [], at now: Date, db: Database) throws -> Report {
        var report = Report()
        var addresses = Set(address.map { [$0] } ?? [])
        for id in contactIds {
            guard let contact = try Contact.fetchOne(db, key: id) else { continue }
            addresses.insert(contact.address)
            if let email = contact.email { addresses.insert(email) }
            for row in try Row.fetchAll(db, sql: "SELECT kind, answers FROM submission WHERE contact_id = ?", arguments: [id]) {
                if let given = try contactEmail(row) { addresses.insert(given) }
            }
        }
        let idList = contactIds.map(String.init).joined(separator: ",")
        let kept = keeping.isEmpty ? "" : " AND id NOT IN (\(keeping.map(String.init).joined(separator: ",")))"
        if !contactIds.isEmpty {
            report.inbound = try scrubInbound(where: "contact_id IN (\(idList))", db: db)
            for submission in try Submission.filter(contactIds.contains(Column("contact_id"))).fetchAll(db) {
                if submission.status == "approved" {
                    try anonymise(submission, requestedBy: requestedBy, at: now, db: db)
                    report.submissionsAnonymised += 1
                } else {
                    try submission.delete(db)
                    report.submissionsDeleted += 1
                }
            }
            try db.execute(sql: "DELETE FROM outbox WHERE contact_id IN (\(idList))\(kept)")
            try db.execute(sql: "UPDATE outbox SET contact_id = NULL WHERE contact_id IN (\(idList))")
            try db.execute(sql: "DELETE FROM conversation WHERE contact_id IN (\(idList))")
            report.contacts = try Contact.filter(contactIds.contains(Column("id"))).deleteAll(db)
        }
        // The address may also be where it is not linked to these contacts: mail from it threaded to
        // another conversation, a notice to it, a reviewer's note quoting it.
        for address in addresses where !address.isEmpty {
            report.inbound += try scrubInbound(where: "lower(sender) = lower(?)", arguments: [address], db: db)
            try db.execute(sql: "DELETE FROM outbox WHERE lower(recipient) = lower(?)\(kept)", arguments: [address])
            // Inside other text only an address that cannot be an ordinary word: an email or a phone number.
            guard address.contains("@") || address.filter(\.isNumber).count >= 6 else { continue }
            try db.execute(
                sql: "UPDATE review_event SET note = replace(note, ?, '[erased]') WHERE instr(note, ?) > 0", arguments: [address, address])
            try db.execute(
                sql: "UPDATE inbound SET external_id = 'erased:' || id WHERE instr(lower(external_id), lower(?)) > 0", arguments: [address])
        }
        try record(report, requestedBy: requestedBy, at: now, db: db)
        return report
    }

    /// The erasure's row in `erasure`: what was removed, never whose.
    private func record(_ report: Report, requestedBy: String, at now: Date, db: Database) throws {
        try db.execute(
            sql: "INSERT INTO erasure (at, requested_by, contacts, inbound, submissions_deleted, submissions_anonymised) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [now, requestedBy, report.contacts, report.inbound, report.submissionsDeleted, report.submissionsAnonymised])
    }

    /// A declined privacy notice: the conversation and the messages in it go; the contact goes too
    /// unless they have other conversations or submissions (the reply saying so still goes out).
    public func declined(conversationId: Int64, contactId: Int64, at now: Date, db: Database) throws {
        var report = Report()
        report.inbound = try scrubInbound(where: "conversation_id = ?", arguments: [conversationId], db: db)
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
    private func scrubInbound(where condition: String, arguments: StatementArguments = [], db: Database) throws -> Int {
        try db.execute(sql: "DELETE FROM attachment WHERE inbound_id IN (SELECT id FROM inbound WHERE \(condition))", arguments: arguments)
        try db.execute(
            sql: """
                UPDATE inbound SET text = '', raw = NULL, sender = '', thread_key = NULL, message_ids = NULL, error = NULL, contact_id = NULL,
                outcome = 'erased' WHERE \(condition)
                """, arguments: arguments)
        return db.changesCount
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
        var event = ReviewEvent(id: nil, submissionId: submission.id!, reviewer: requestedBy, action: "anonymised", note: nil, at: now)
        try event.insert(db)
    }
}
