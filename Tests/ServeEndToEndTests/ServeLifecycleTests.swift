import Foundation
import GRDB
import IntakeMail
import IntakeStore
import XCTest

/// `serve` as an operator meets it: settings errors, no channels, graceful stop, processed folder, UIDVALIDITY.
final class ServeLifecycleTests: XCTestCase {
    var serve: ServeProcess!

    override func setUpWithError() throws {
        try MailServers.ready()
        serve = ServeProcess(databasePath: NSTemporaryDirectory() + "life-\(UUID().uuidString).sqlite", mail: true)
    }

    override func tearDownWithError() throws {
        serve.stop()
        serve.removeFiles()
    }

    func testBadSettingIsOneLineNamingTheVariableAndExitCode2() throws {
        for (variable, value) in [("GCR_INTAKE_IMAP_URL", "http://127.0.0.1:1143"), ("GCR_INTAKE_IMAP_POLL_SECONDS", "soon"), ("GCR_INTAKE_MAIL_FROM", "not an address")] {
            serve.environment[variable] = value
            try serve.start()
            serve.process!.waitUntilExit()
            XCTAssertEqual(serve.process!.terminationStatus, 2, variable)
            let lastLine = serve.log.split(separator: "\n").last.map(String.init) ?? ""
            XCTAssertTrue(lastLine.hasPrefix("gcr-intake: \(variable): "), lastLine)
            serve.removeFiles()
            serve = ServeProcess(databasePath: serve.databasePath, mail: true)
        }
    }

    func testWithoutChannelSettingsItStartsSaysWhyAndStopsCleanlyOnSIGTERM() throws {
        for variable in ["GCR_INTAKE_IMAP_URL", "GCR_INTAKE_SMTP_URL", "GCR_INTAKE_MAIL_FROM"] { serve.environment[variable] = nil }
        try serve.start()
        try serve.waitUntil("started") { serve.log.contains("gcr-intake serving") }
        XCTAssertTrue(serve.log.contains("GCR_INTAKE_IMAP_URL is not set"), serve.log)
        XCTAssertTrue(serve.log.contains("GCR_INTAKE_SMTP_URL is not set"), serve.log)
        serve.stop()
        XCTAssertEqual(serve.process!.terminationReason, .exit)
        XCTAssertEqual(serve.process!.terminationStatus, 0, serve.log)
        XCTAssertTrue(serve.log.contains("gcr-intake stopped"))
    }

    func testProcessedMailIsMovedToTheProcessedMailbox() throws {
        serve.environment["GCR_INTAKE_IMAP_PROCESSED_MAILBOX"] = "Processed"
        serve.environment["GCR_INTAKE_SMTP_URL"] = nil
        try MailServers.deliverRaw(Data("From: amina@example.org\r\nMessage-ID: <move-1@example.org>\r\nSubject: hi\r\n\r\npledge\r\n".utf8), to: MailServers.service)
        try serve.start()
        try serve.waitUntil("moved") { try MailServers.messages(of: MailServers.service).isEmpty && (try serve.count("SELECT COUNT(*) FROM mail_ack")) == 0 }
        let status = try MailServers.run(
            "/usr/bin/doveadm", ["-c", "\(MailServers.folder)/dovecot/dovecot.conf", "mailbox", "status", "-u", MailServers.service, "messages", "Processed"])
        XCTAssertTrue(status.contains("messages=1"), status)
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM inbound"), 1)
    }

    func testEraseMyDataAndThreeUnansweredNoticesByEmailAreCarriedOutAndTheServiceGoesOn() throws {
        serve.environment["GCR_INTAKE_SMTP_URL"] = nil
        // One sender asks for erasure; another never answers the privacy notice (three mails, then nothing kept).
        let mails = [
            ("amina@example.org", "hello"), ("amina@example.org", "yes"), ("amina@example.org", "erase my data"),
            ("omar@example.org", "hi"), ("omar@example.org", "what?"), ("omar@example.org", "who are you"), ("omar@example.org", "hmm"),
        ]
        for (index, (from, text)) in mails.enumerated() {
            let raw = "From: \(from)\r\nTo: intake@example.org\r\nMessage-ID: <erase-\(index)@example.org>\r\nSubject: hi\r\n\r\n\(text)\r\n"
            try MailServers.deliverRaw(Data(raw.utf8), to: MailServers.service)
        }
        try serve.start()
        try serve.waitUntil("all seven processed") { try serve.count("SELECT COUNT(*) FROM inbound WHERE processed_at IS NOT NULL") == 7 }
        try serve.waitUntil("acknowledged") { try serve.count("SELECT COUNT(*) FROM mail_ack") == 0 }
        XCTAssertTrue(serve.process?.isRunning ?? false, "the erasure's log truncation ran on the writer without deadlocking it: \(serve.log.suffix(2000))")
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM contact"), 0, "neither is known any more")
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM inbound WHERE text != ''"), 0, "nothing they wrote is kept")
        // And the next mail is processed as usual.
        try MailServers.deliverRaw(Data("From: lina@example.org\r\nMessage-ID: <erase-after@example.org>\r\nSubject: hi\r\n\r\nhello\r\n".utf8), to: MailServers.service)
        try serve.waitUntil("the next one") { try serve.count("SELECT COUNT(*) FROM contact WHERE address = 'lina@example.org'") == 1 }
    }

    func testUIDValidityChangeRescansWithoutProcessingAnythingTwice() throws {
        serve.environment["GCR_INTAKE_SMTP_URL"] = nil
        for index in 1...3 {
            try MailServers.deliverRaw(Data("From: c\(index)@example.net\r\nMessage-ID: <uv-\(index)@example.org>\r\nSubject: hi\r\n\r\nhello\r\n".utf8), to: MailServers.service)
        }
        try serve.start()
        try serve.waitUntil("3 stored") { try serve.count("SELECT COUNT(*) FROM inbound") == 3 && (try serve.count("SELECT COUNT(*) FROM mail_ack")) == 0 }
        serve.stop()
        let before = try serve.read { db in try Int64.fetchOne(db, sql: "SELECT uid_validity FROM mailbox_state") }
        try MailServers.run(
            "/usr/bin/doveadm", ["-c", "\(MailServers.folder)/dovecot/dovecot.conf", "mailbox", "update", "-u", MailServers.service, "--uid-validity", "\(Int(before ?? 0) + 77)", "INBOX"])
        try MailServers.deliverRaw(Data("From: c4@example.net\r\nMessage-ID: <uv-4@example.org>\r\nSubject: hi\r\n\r\nhello\r\n".utf8), to: MailServers.service)
        try serve.start()
        try serve.waitUntil("the new one stored") { try serve.count("SELECT COUNT(*) FROM inbound") == 4 }
        try serve.waitUntil("rescan done") { try serve.count("SELECT COUNT(*) FROM mail_ack") == 0 && serve.log.contains("UIDVALIDITY changed") }
        serve.stop()
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM outbox"), 4, "the rescan answered nothing twice")
        XCTAssertEqual(try serve.read { db in try Int64.fetchOne(db, sql: "SELECT uid_validity FROM mailbox_state") }, (before ?? 0) + 77)
    }
}
