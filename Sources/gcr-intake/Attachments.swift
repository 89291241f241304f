import ArgumentParser
import Foundation
import GRDB
import IntakeStore

/// `gcr-intake attachments get ID --out FILE`: saves a stored file (email attachment, voice note, photo) as received.
struct Attachments: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Files that came with messages (email attachments, voice notes, photos): save one to listen to or read.",
        subcommands: [AttachmentsGet.self])
}

struct AttachmentsGet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Save attachment ID (from review show) to a file, byte for byte.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The attachment's number, as review show lists it (#12).")
    var id: String

    @Option(help: "Where to write it (an existing file is not overwritten unless --force).")
    var out: String

    @Flag(help: "Overwrite --out if it exists.")
    var force = false

    func run() throws {
        try CLIError.exit {
            guard let number = Int64(id.hasPrefix("#") ? String(id.dropFirst()) : id), number > 0 else {
                throw CLIError.configuration("expected an attachment number such as 12, got '\(id)'")
            }
            let context = try ReviewContext(options)
            guard let file = try context.database.read({ db in try Attachment.fetchOne(db, key: number) }) else {
                throw CLIError.refused("no attachment #\(number)")
            }
            guard let data = file.data else { throw CLIError.refused("attachment #\(number): its bytes are no longer kept (retention, or over the size limit)") }
            if FileManager.default.fileExists(atPath: out), !force { throw CLIError.configuration("\(out) exists; add --force to overwrite it") }
            do {
                try data.write(to: URL(fileURLWithPath: out), options: force ? [] : [.withoutOverwriting])
            } catch {
                throw CLIError.configuration("cannot write \(out): \(error.localizedDescription)")
            }
            let what = [file.mediaKind, file.durationSeconds.map { "\($0 / 60):" + String(format: "%02d", $0 % 60) }, file.contentType].compactMap { $0 }
            print(TerminalText.safe("#\(number) saved to \(out): \(data.count) bytes (\(what.joined(separator: ", ")))"))
        }
    }
}
