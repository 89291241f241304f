import Foundation
import IntakeMail
import XCTest

/// The real Dovecot and Postfix on 127.0.0.1, started by `scripts/mail-servers` (once per test run),
/// with helpers to empty, fill and read the test mailboxes.
enum MailServers {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let folder = ProcessInfo.processInfo.environment["GCR_INTAKE_TEST_MAIL_DIR"] ?? "/tmp/gcr-intake-mail"
    static let imap = MailServerURL("imap://127.0.0.1:1143", schemes: MailServerURL.imapSchemes)!
    static let smtp = MailServerURL("smtp://127.0.0.1:2525", schemes: MailServerURL.smtpSchemes)!
    static let password = "secret"
    static let service = "intake@example.org"
    static let contributor = "contributor@example.org"
    static let other = "other@example.org"

    private static let started: Result<Void, Error> = Result { try run(root.appendingPathComponent("scripts/mail-servers").path, ["start", folder]) }

    /// Starts the servers if needed and empties every test mailbox.
    static func ready() throws {
        try started.get()
        for user in [service, contributor, other] {
            try run("/usr/bin/doveadm", ["-c", "\(folder)/dovecot/dovecot.conf", "expunge", "-u", user, "mailbox", "*", "all"])
        }
    }

    static func startPostfix() throws { try run("/usr/sbin/postfix", ["-c", "\(folder)/postfix", "start"]) }
    static func stopPostfix() throws { try run("/usr/sbin/postfix", ["-c", "\(folder)/postfix", "stop"]) }

    /// Puts a raw message straight into a mailbox, byte for byte (for mail no MTA would pass unchanged).
    static func deliverRaw(_ data: Data, to user: String) throws {
        let file = NSTemporaryDirectory() + "raw-\(UUID().uuidString).eml"
        try data.write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        try run("/bin/sh", ["-c", "doveadm -c '\(folder)/dovecot/dovecot.conf' save -u '\(user)' -m INBOX < '\(file)'"])
    }

    /// Puts many raw messages into a mailbox, in order, with one shell for all of them.
    static func deliverRaw(_ messages: [Data], to user: String) throws {
        let folder = NSTemporaryDirectory() + "raw-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (index, data) in messages.enumerated() {
            try data.write(to: URL(fileURLWithPath: folder + "/" + String(format: "%06d.eml", index)))
        }
        try run("/bin/sh", ["-c", "for f in '\(folder)'/*.eml; do doveadm -c '\(MailServers.folder)/dovecot/dovecot.conf' save -u '\(user)' -m INBOX < \"$f\" || exit 1; done"])
    }

    /// Sends a message through Postfix, as a mail client would.
    static func send(_ data: Data, from: String, to: String) throws {
        try SMTPSender(url: smtp, user: nil, password: nil, timeoutSeconds: 20).send(data, from: from, to: to)
    }

    /// Every message in `user`'s INBOX, oldest first.
    static func messages(of user: String) throws -> [(uid: UInt32, data: Data)] {
        let session = try IMAPSession(url: imap, user: user, password: password)
        let (_, next) = try session.select("INBOX")
        return next > 1 ? try session.fetch(uids: 1, through: next - 1) : []
    }

    /// Waits until `user`'s INBOX holds at least `count` messages; returns them.
    static func waitForMessages(of user: String, count: Int, timeout: TimeInterval = 60) throws -> [(uid: UInt32, data: Data)] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let found = try messages(of: user)
            if found.count >= count { return found }
            if Date() > deadline { throw Failure("\(user) has \(found.count) messages, expected \(count) within \(timeout) s") }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Waits until Postfix has handed every mail it accepted to Dovecot: once serve's outbox is all sent,
    /// what it sent is then all in the mailboxes (a late duplicate would be there too), with no fixed sleep.
    static func waitForDeliveries(timeout: TimeInterval = 30) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try !run("/usr/sbin/postqueue", ["-c", "\(folder)/postfix", "-p"]).contains("Mail queue is empty") {
            if Date() > deadline { throw Failure("Postfix still holds mail after \(timeout) s") }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: output)
        guard process.terminationStatus == 0 else { throw Failure("\(tool) \(arguments.joined(separator: " ")) failed: \(text)") }
        return text
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension MailServers {
    /// A plain-text UTF-8 mail from `from` to the service, threaded under `inReplyTo`.
    static func compose(from: String, name: String? = nil, id: String, subject: String, inReplyTo: String?, references: [String], body: String) -> Data {
        var headers = [
            "From: " + (name.map { "\($0) " } ?? "") + "<\(from)>", "To: <\(service)>", "Subject: \(subject)", "Message-ID: <\(id)>", "Date: Wed, 25 Nov 2026 10:00:00 +0000", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit",
        ]
        if let inReplyTo { headers.append("In-Reply-To: <\(inReplyTo)>") }
        if !references.isEmpty { headers.append("References: " + references.map { "<\($0)>" }.joined(separator: " ")) }
        return Data((headers.joined(separator: "\r\n") + "\r\n\r\n" + body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n") + "\r\n").utf8)
    }
}
