import Foundation

/// A reply to send: every value already decided, none of them trusted.
public struct OutgoingMail: Sendable, Equatable {
    public var from: MailAddress
    public var to: String
    public var subject: String
    public var body: String
    public var messageId: String
    public var inReplyTo: String?
    public var references: [String]
    public var date: Date
    /// An HTML alternative to `body` (notices): the message becomes multipart/alternative.
    public var html: String?

    public init(
        from: MailAddress, to: String, subject: String, body: String, messageId: String, inReplyTo: String?, references: [String], date: Date,
        html: String? = nil
    ) {
        self.html = html
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.messageId = messageId
        self.inReplyTo = inReplyTo
        self.references = references
        self.date = date
    }
}

/// Refused because a value would break out of its header (CR or LF in it): no header injection.
public struct HeaderInjectionError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// Writes an RFC 5322 message: UTF-8 text in base64, RFC 2047 encoded subject and names, threading
/// headers, and `Auto-Submitted: auto-replied` so other robots do not answer us (RFC 3834).
public enum MailComposer {
    public static func compose(_ mail: OutgoingMail) throws -> Data {
        for (name, value) in [("From", mail.from.address), ("From name", mail.from.name ?? ""), ("To", mail.to), ("Subject", mail.subject),
            ("Message-ID", mail.messageId), ("In-Reply-To", mail.inReplyTo ?? "")] + mail.references.map({ ("References", $0) })
        where value.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {
            throw HeaderInjectionError(description: "\(name) contains a line break; the message is refused")
        }
        for address in [mail.from.address, mail.to] where address.contains(where: { "<>,;\"".contains($0) || $0.isWhitespace }) {
            throw HeaderInjectionError(description: "address '\(address)' is not a plain address")
        }
        var lines = [
            "From: " + (mail.from.name.map { encodeWord($0) + " " } ?? "") + "<\(mail.from.address)>",
            "To: <\(mail.to)>",
            "Subject: " + encodeWord(mail.subject),
            "Date: " + rfc5322Date(mail.date),
            "Message-ID: <\(mail.messageId)>",
        ]
        if let inReplyTo = mail.inReplyTo { lines.append("In-Reply-To: <\(inReplyTo)>") }
        if !mail.references.isEmpty { lines.append("References: " + mail.references.map { "<\($0)>" }.joined(separator: "\r\n ")) }
        lines += ["Auto-Submitted: auto-replied", "MIME-Version: 1.0"]
        guard let html = mail.html else {
            lines += part("text/plain", mail.body)
            return Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
        }
        // The boundary is base64-free ("=_" cannot occur in base64 text), so no part can contain it.
        let boundary = "=_gcr_" + String(mail.messageId.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }, radix: 16)
        lines += ["Content-Type: multipart/alternative; boundary=\"\(boundary)\"", "", "--\(boundary)"]
        lines += part("text/plain", mail.body) + ["--\(boundary)"] + part("text/html", html) + ["--\(boundary)--"]
        return Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// The header lines and base64 body of one UTF-8 text part.
    private static func part(_ type: String, _ text: String) -> [String] {
        let body = Data(text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8)
            .base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return ["Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: base64", "", body]
    }

    /// ASCII text stays as it is; anything else becomes RFC 2047 base64 words of at most 75 characters.
    static func encodeWord(_ text: String) -> String {
        if text.allSatisfy({ $0.isASCII && !$0.isNewline }), !text.contains("=?") { return text }
        var words: [String] = []
        var chunk = Data()
        for character in text {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > 39 {  // "Subject: " + an encoded word stays within 78 columns
                words.append("=?UTF-8?B?" + chunk.base64EncodedString() + "?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + chunk.base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
