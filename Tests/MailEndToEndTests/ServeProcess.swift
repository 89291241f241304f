import Foundation
import GRDB
import IntakeStore
import XCTest

/// The real `gcr-intake serve` binary, run as a child process against the test mail servers.
final class ServeProcess {
    let databasePath: String
    let logPath: String
    private(set) var process: Process?
    var environment: [String: String]

    init(databasePath: String, environment extra: [String: String] = [:]) {
        self.databasePath = databasePath
        self.logPath = databasePath + ".log"
        environment = [
            "GCR_INTAKE_DB": databasePath,
            "GCR_INTAKE_PROMPTS": MailServers.root.appendingPathComponent("prompts").path,
            "GCR_INTAKE_IMAP_URL": "imap://127.0.0.1:1143",
            "GCR_INTAKE_IMAP_USER": MailServers.service,
            "GCR_INTAKE_IMAP_PASSWORD": MailServers.password,
            "GCR_INTAKE_IMAP_POLL_SECONDS": "2",
            "GCR_INTAKE_SMTP_URL": "smtp://127.0.0.1:2525",
            "GCR_INTAKE_MAIL_FROM": MailServers.service,
            "GCR_INTAKE_OUTBOX_RETRY_SECONDS": "1",
            "GCR_INTAKE_OUTBOX_MAX_BACKOFF_SECONDS": "4",
        ].merging(extra) { $1 }.filter { !$0.value.isEmpty }
    }

    static var binary: URL {
        Bundle.main.bundleURL.appendingPathComponent("gcr-intake")
    }

    func start() throws {
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

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try IntakeDatabase(path: databasePath).pool.read(body)
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

    func removeFiles() {
        for suffix in ["", "-wal", "-shm", ".log"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) }
    }
}
