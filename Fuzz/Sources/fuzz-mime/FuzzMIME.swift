import Foundation
import FuzzDriver
import IntakeCore
import IntakeMail

/// One raw mail, as IMAP hands it over, through what `MailInbound.message(from:receivedAt:)` does with
/// it: MIME decoding with libetpan (`MIMEParser.parse`), quoted history stripped (`ReplyStripper`),
/// machine mail recognised (`AutoReplyFilter`). An unreadable mail must throw, never trap.
/// A small attachment limit, so that the truncation path is reached by small inputs too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMIME(_ bytes: UnsafeRawPointer, _ count: Int) -> CInt {
    let raw = Data(bytes: bytes, count: count)
    guard let mail = try? MIMEParser.parse(raw, attachmentLimit: 256) else { return 0 }
    let stripped = ReplyStripper.strip(mail.text)
    _ = AutoReplyFilter.reason(mail, ourAddresses: ["intake@example.org"])
    _ = stripped.count + (mail.subject?.count ?? 0) + (mail.from?.address.lowercased().count ?? 0)
    _ = mail.references + mail.inReplyTo.filter { !mail.references.contains($0) }
    for file in mail.attachments {
        precondition(!file.truncated || file.data.isEmpty, "a truncated attachment keeps no bytes")
        precondition(file.truncated || file.data.count <= 256, "an attachment over the limit is kept")
    }
    return 0
}

/// The program's entry point (see Package.swift): libFuzzer's driver on the function above.
@_cdecl("fuzz_mime_main")
public func main_mime(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    fuzz_run_driver(argc, argv) { data, size in data.map { fuzzMIME(UnsafeRawPointer($0), size) } ?? 0 }
}
