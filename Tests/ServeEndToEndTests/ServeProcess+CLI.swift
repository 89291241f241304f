import Foundation
import GRDB
@testable import IntakeStore

extension ServeProcess {
    /// Runs `gcr-intake ARGUMENTS` on this service's database, prompts and templates (plus `extra` settings).
    func cli(_ arguments: [String], extra: [String: String] = [:]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = environment.filter { ["GCR_INTAKE_DB", "GCR_INTAKE_PROMPTS", "GCR_INTAKE_TEMPLATES", "GCR_INTAKE_MAIL_FROM"].contains($0.key) }
            .merging(extra) { $1 }
        let out = Pipe()
        let error = Pipe()
        process.standardOutput = out
        process.standardError = error
        try process.run()
        // Standard error read on a thread of its own while standard output is read here: a full pipe would block the child.
        let complaint = Complaint()
        let reader = Thread { complaint.data = error.fileHandleForReading.readDataToEndOfFile(); complaint.done.signal() }
        reader.start()
        let printed = out.fileHandleForReading.readDataToEndOfFile()
        complaint.done.wait()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: printed, as: UTF8.self), String(decoding: complaint.data, as: UTF8.self))
    }
}

/// Standard error of a command, filled by its reader thread (read only after `done`).
private final class Complaint: @unchecked Sendable {
    var data = Data()
    let done = DispatchSemaphore(value: 0)
}

extension ServeProcess {
    /// Changes the database under the running service (another process, as an operator's tool would).
    func write(_ body: (Database) throws -> Void) throws {
        try IntakeDatabase(path: databasePath).writer.write(body)
    }
}
