import Foundation

/// Decides whether a message must not be answered: it was written by a machine (auto-replies,
/// bounces, mailing lists, RFC 3834) or by us. Such mail is still recorded, never answered.
public enum AutoReplyFilter {
    /// Why `mail` gets no answer, or nil when a person wrote it and may be answered.
    public static func reason(_ mail: ParsedMail, ourAddresses: [String]) -> String? {
        guard let from = mail.from?.address.lowercased(), from.contains("@") else { return "no sender address" }
        if ourAddresses.map({ $0.lowercased() }).contains(from) { return "sent by this service" }
        let local = from.split(separator: "@").first.map(String.init) ?? from
        if ["mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"].contains(local) { return "sender is a mail system" }
        if mail.returnPath == "" { return "bounce (empty Return-Path)" }
        if mail.contentType == "multipart/report" { return "delivery or read report" }
        if let value = mail.header("auto-submitted"), !value.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("no") {
            return "Auto-Submitted header"  // its value is the sender's text: never copied into a reason
        }
        if let value = mail.header("precedence")?.trimmingCharacters(in: .whitespaces).lowercased(), ["bulk", "junk", "list", "auto_reply"].contains(value) {
            return "Precedence: \(value)"  // one of the four words above, nothing else
        }
        if mail.header("list-id") != nil || mail.header("list-unsubscribe") != nil { return "mailing list" }
        for header in ["x-autoreply", "x-autorespond", "x-autoresponder"] where mail.header(header) != nil { return "\(header) header" }
        return nil
    }
}

