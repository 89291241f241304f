/// Where a mail server is and how to talk to it: `imap://host:port` (STARTTLS when offered),
/// `imaps://host:port` (TLS from the start), and likewise `smtp://` / `smtps://`.
public struct MailServerURL: Sendable, Equatable, CustomStringConvertible {
    public let scheme: String
    public let host: String
    public let port: UInt16

    /// The URL with TLS from the first byte (imaps, smtps).
    public var implicitTLS: Bool { scheme.hasSuffix("s") }

    /// Parses `text` for one of `schemes`; nil when it is not of that shape.
    public init?(_ text: String, schemes: [String: UInt16]) {
        guard let range = text.range(of: "://") else { return nil }
        let scheme = text[..<range.lowerBound].lowercased()
        guard let defaultPort = schemes[scheme] else { return nil }
        var rest = String(text[range.upperBound...])
        if rest.hasSuffix("/") { rest.removeLast() }
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@") else { return nil }
        var host = rest
        var port = defaultPort
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { guard let value = UInt16(after.dropFirst()), value > 0 else { return nil }; port = value } else if !after.isEmpty { return nil }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            guard let value = UInt16(rest[rest.index(after: colon)...]), value > 0 else { return nil }
            port = value
        }
        guard !host.isEmpty, !host.contains(" ") else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    public static let imapSchemes: [String: UInt16] = ["imap": 143, "imaps": 993]
    public static let smtpSchemes: [String: UInt16] = ["smtp": 587, "smtps": 465]

    public var description: String {
        "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }
}
