import Foundation
import GRDB
import IntakeCore
import IntakeMail
import IntakeNotices
@testable import IntakeStore
import XCTest
import IntakePipeline

/// A fresh database (in memory by default) with the real pipeline and review desk, and contributors who talk to it.
final class StoreHarness {
    let path = NSTemporaryDirectory() + "intake-\(UUID().uuidString).sqlite"
    let database: IntakeDatabase
    let processor: InboundProcessor
    let desk: ReviewDesk
    private var sequence = 0
    var clock = Date(timeIntervalSince1970: 1_800_000_000)

    /// In memory unless a test needs the file itself (its write-ahead log, a second connection).
    init(policy: ProcessorPolicy = ProcessorPolicy(), onDisk: Bool = false) throws {
        database = onDisk ? try IntakeDatabase(path: path) : try IntakeDatabase.inMemory()
        processor = InboundProcessor(database: database, engine: Engine(catalog: StoreFixtures.catalog), templates: StoreFixtures.templates, policy: policy)
        desk = Self.desk(database)
    }

    static func desk(_ database: IntakeDatabase) -> ReviewDesk {
        ReviewDesk(
            database: database, catalog: StoreFixtures.catalog,
            notices: NoticeQueue(renderer: NoticeRenderer(catalog: StoreFixtures.catalog, templates: StoreFixtures.templates), messageIdDomain: "example.org"))
    }

    /// A contact who agreed to the privacy notice before: their messages go straight to the menu.
    func consentedContact(_ sender: String, channel: Channel = .whatsapp) throws {
        try database.writer.write { db in
            try db.execute(
                sql: "INSERT INTO contact (channel, address, language, created_at, consent_version, consent_at) VALUES (?, ?, 'en', ?, ?, ?)",
                arguments: [channel, sender, clock, processor.engine.catalog.privacyNoticeVersion, clock])
        }
    }

    func remove() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// One message from `sender`, a second later than the last one.
    @discardableResult
    func send(_ text: String, from sender: String, channel: Channel = .whatsapp, id: String? = nil, references: [String] = [], raw: Data? = nil,
        attachments: [InboundAttachment] = [], subject: String? = nil) throws -> InboundOutcome {
        sequence += 1
        clock = clock.addingTimeInterval(1)
        var message = InboundMessage(
            channel: channel, externalId: id ?? "\(channel)-msg-\(sequence)@example.org", sender: sender, text: text, receivedAt: clock)
        message.references = references
        message.subject = subject
        MailThread.annotate(&message)  // as MailInbound reads a mail's subject
        message.raw = raw
        message.attachments = attachments
        return try processor.process(message, now: clock)
    }

    /// A pledge update confirmed by `sender`: on chat with a contact email, by email without (the address is known).
    @discardableResult
    func submitUpdate(from sender: String, channel: Channel = .whatsapp, email: String? = "me@example.org", language: String = "en", raw: Data? = nil,
        attachments: [InboundAttachment] = []) throws -> String {
        let yes = language == "fr" ? "oui" : "yes"
        // Someone who agreed before is not asked again; an hour apart, so email's reply cap is not reached.
        let agreed = try database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contact WHERE address = ? AND consent_version IS NOT NULL", arguments: [sender]) ?? 0
        } > 0
        clock = clock.addingTimeInterval(3600)
        var messages = [language == "fr" ? "Bonjour, voici une mise à jour de notre engagement" : "3"] + (agreed ? [] : [yes])
        messages += ["GCR-PL-000007", "2", "skip", "skip", "skip", "We distributed 300 solar lamps in 2024.", "skip", "skip"]
        if channel != .email { messages.append(email ?? "me@example.org") }
        messages += [yes, "ok"]
        var last: InboundOutcome?
        for (index, text) in messages.enumerated() {
            last = try send(text, from: sender, channel: channel, raw: raw, attachments: index == 0 ? attachments : [])
        }
        guard case .processed(let outcome)? = last, let reference = outcome.submissionReference else {
            throw StoreError("the conversation did not end in a submission: \(String(describing: last))")
        }
        return reference
    }

    /// Records that `address` was confirmed by its owner for the chat contact `sender` (as if they had
    /// answered our confirmation request earlier).
    func confirmEmail(_ address: String, for sender: String, channel: Channel = .whatsapp) throws {
        try database.writer.write { db in
            let contactId = try Int64.fetchOne(db, sql: "SELECT id FROM contact WHERE channel = ? AND address = ?", arguments: [channel, sender])!
            try db.execute(
                sql: "INSERT INTO email_verification (contact_id, address, message_id, sent_at, verified_at) VALUES (?, lower(?), ?, ?, ?)",
                arguments: [contactId, address, "confirm-\(UUID())@example.org", clock, clock])
        }
    }

    func count(_ sql: String, _ arguments: StatementArguments = []) throws -> Int {
        try database.writer.read { db in try Int.fetchOne(db, sql: sql, arguments: arguments)! }
    }

    func submission(_ reference: String) throws -> Submission {
        try database.writer.read { db in try Submission.filter(Column("reference") == reference).fetchOne(db)! }
    }
}
