import ArgumentParser
import Foundation
import IntakeCore
import IntakeMail

/// `gcr-intake mail read FILE…`: how the service would read saved mails (.eml), without a mailbox or a
/// database: sender, subject, the text it would answer, attachments, and whether it would answer at all.
/// `--summary` prints only the counts and the time taken (Benchmarks/mime_decode.sh uses it).
struct Mail: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Tools for mail.", subcommands: [MailRead.self])
}

struct MailRead: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "read", abstract: "Decode saved mails (.eml) as the IMAP ingest would.")

    @Argument(help: "Mail files, or folders of them.")
    var paths: [String]

    @Flag(help: "Print only how many mails were read and how fast.")
    var summary = false

    @Flag(help: "Only the MIME decoding (headers, parts, charsets), not what the ingest does after it; implies --summary.")
    var mimeOnly = false

    func run() throws {
        let files = try paths.flatMap(Self.files)
        let mail = MailInbound(ourAddresses: [])
        var unreadable = 0
        var machine = 0
        var bytes = 0
        let started = DispatchTime.now().uptimeNanoseconds
        for file in files {
            guard let raw = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            bytes += raw.count
            if mimeOnly {
                if (try? MIMEParser.parse(raw)) == nil { unreadable += 1 }
                continue
            }
            let message = mail.message(from: raw, receivedAt: Date())
            if message.parseError != nil { unreadable += 1 } else if message.doNotAnswer != nil { machine += 1 }
            guard !summary else { continue }  // (--mime-only never gets here)
            print("\(file): from \(message.sender), subject \(message.subject ?? "(none)"), \(message.text.count) characters, \(message.attachments.count) attachment(s)")
            if let error = message.parseError { print("  unreadable: \(error)") }
            if let reason = message.doNotAnswer { print("  not answered: \(reason)") }
            if !message.text.isEmpty { print("  " + message.text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  ")) }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let rate = seconds > 0 ? Double(files.count) / seconds : 0
        print(String(format: "read %d mails (%d bytes; %d unreadable, %d machine mail) in %.3f s: %.0f mails/s", files.count, bytes, unreadable, machine, seconds, rate))
    }

    /// A file, or the files of a folder (sorted, not recursive).
    private static func files(_ path: String) throws -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw ValidationError("no such file: \(path)") }
        guard isFolder.boolValue else { return [path] }
        return try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { (path as NSString).appendingPathComponent($0) }
            .filter { !$0.hasSuffix("/.") }
    }
}
