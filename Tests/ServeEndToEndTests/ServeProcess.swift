import Foundation
import GRDB
@testable import IntakeStore
import XCTest

/// The real `gcr-intake serve` binary, run as a child process against the test mail servers.
final class ServeProcess: @unchecked Sendable {  // used by one test at a time; the kill task only calls kill() while the test awaits it
    let databasePath: String
    let logPath: String
    private(set) var process: Process?
    var environment: [String: String]

    /// `mail`: poll the shared test mailbox and send through the test Postfix (only the classes that
    /// call `MailServers.ready()` may: they run one at a time, see scripts/test-suite); without it,
    /// serve has no mail channel at all and cannot take another test's mail.
    init(databasePath: String, mail: Bool = false, environment extra: [String: String] = [:]) {
        self.databasePath = databasePath
        self.logPath = databasePath + ".log"
        environment = [
            "GCR_INTAKE_DB": databasePath,
            "GCR_INTAKE_PROMPTS": MailServers.root.appendingPathComponent("prompts").path,
            "GCR_INTAKE_TEMPLATES": MailServers.root.appendingPathComponent("templates").path,
            "GCR_INTAKE_OUTBOX_RETRY_SECONDS": "1",
            "GCR_INTAKE_OUTBOX_MAX_BACKOFF_SECONDS": "4",
            "GCR_INTAKE_HTTP_PORT": "0",
        ].merging(mail ? Self.mailEnvironment : [:]) { $1 }.merging(extra) { $1 }.filter { !$0.value.isEmpty }
    }

    /// The test Dovecot and Postfix (scripts/mail-servers), as the service's mail channel.
    static let mailEnvironment = [
        "GCR_INTAKE_IMAP_URL": "imap://127.0.0.1:1143",
        "GCR_INTAKE_IMAP_USER": MailServers.service,
        "GCR_INTAKE_IMAP_PASSWORD": MailServers.password,
        "GCR_INTAKE_IMAP_POLL_SECONDS": "2",
        "GCR_INTAKE_SMTP_URL": "smtp://127.0.0.1:2525",
        "GCR_INTAKE_MAIL_FROM": MailServers.service,
    ]

    static var binary: URL {
        Bundle.main.bundleURL.appendingPathComponent("gcr-intake")
    }

    /// Where this run's part of the log begins (the file collects every run).
    private var logStart = 0

    func start() throws {
        logStart = log.count
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["serve"]
        process.environment = environment
        if !FileManager.default.fileExists(atPath: logPath) { FileManager.default.createFile(atPath: logPath, contents: nil) }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
    }

    /// SIGTERM and wait: the graceful path.
    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// SIGKILL: the crash path.
    func kill() {
        guard let process, process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Kills the process at a moment when `condition` holds: the process is frozen (SIGSTOP), the condition
    /// checked, and the process killed while still frozen, or let go (SIGCONT) to try again 2 ms later.
    /// However fast the service is, nothing can be committed between the check and the kill.
    /// The condition reads through a read-only connection: the frozen process may hold the write lock.
    func kill(whenFrozen what: String, timeout: TimeInterval = 60, _ condition: (Database) throws -> Bool) throws {
        guard let process, process.isRunning else { throw Failure("not running: \(what)") }
        var configuration = Configuration()
        configuration.readonly = true
        var reader: DatabaseQueue?
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            Glibc.kill(process.processIdentifier, SIGSTOP)
            if reader == nil { reader = try? DatabaseQueue(path: databasePath, configuration: configuration) }
            // Until the service has created its tables the condition throws: not yet.
            if (try? reader?.read(condition)) == true {
                kill()
                return
            }
            Glibc.kill(process.processIdentifier, SIGCONT)
            Thread.sleep(forTimeInterval: 0.002)
        }
        throw Failure("timed out waiting for \(what); serve log:\n\(log.suffix(3000))")
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try IntakeDatabase(path: databasePath).writer.read(body)
    }

    func count(_ sql: String) throws -> Int {
        try read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    /// Waits until `condition` holds, checking every 200 ms.
    func waitUntil(_ what: String, timeout: TimeInterval = 60, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? condition()) == true { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw Failure("timed out waiting for \(what); serve log:\n\(log.suffix(3000))")
    }

    /// The same for async tests: sleeps without holding one of the few threads that run every task
    /// (the fake provider's handlers among them), so a loaded machine cannot starve them.
    func waitUntil(_ what: String, timeout: TimeInterval = 60, _ condition: () throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? condition()) == true { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw Failure("timed out waiting for \(what); serve log:\n\(log.suffix(3000))")
    }

    /// Settings for the messaging channels, with every provider API pointed at `fake`.
    static func webhookEnvironment(fakePort: Int) -> [String: String] {
        let fake = "http://127.0.0.1:\(fakePort)"
        return [
            "GCR_INTAKE_IMAP_URL": "", "GCR_INTAKE_SMTP_URL": "", "GCR_INTAKE_MAIL_FROM": "",
            "GCR_INTAKE_WHATSAPP_VERIFY_TOKEN": WebhookClient.verifyToken, "GCR_INTAKE_WHATSAPP_APP_SECRET": WebhookClient.whatsAppSecret,
            "GCR_INTAKE_WHATSAPP_API_URL": "\(fake)/v21.0", "GCR_INTAKE_WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
            "GCR_INTAKE_WHATSAPP_ACCESS_TOKEN": "wa-access-token", "GCR_INTAKE_TELEGRAM_SECRET_TOKEN": WebhookClient.telegramToken,
            "GCR_INTAKE_TELEGRAM_BOT_TOKEN": "123:tg-bot-token", "GCR_INTAKE_TELEGRAM_API_URL": fake,
            "GCR_INTAKE_WEBHOOK_SECRET": WebhookClient.genericSecret, "GCR_INTAKE_WEBHOOK_REPLY_URL": "\(fake)/gateway/replies",
        ]
    }

    /// The HTTP port `serve` bound (it logs it once listening).
    func httpPort(timeout: TimeInterval = 30) throws -> Int {
        var port = 0
        try waitUntil("HTTP listening", timeout: timeout) {
            let current = String(log.dropFirst(logStart))
            guard let range = current.range(of: #"HTTP listening on [0-9.]+:[0-9]+"#, options: [.regularExpression, .backwards]) else { return false }
            port = Int(current[range].split(separator: ":").last ?? "") ?? 0
            return port > 0
        }
        return port
    }

    func removeFiles() {
        for suffix in ["", "-wal", "-shm", ".log"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) }
    }
}
