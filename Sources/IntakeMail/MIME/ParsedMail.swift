import Foundation

/// An email address with its display name, decoded.
public struct MailAddress: Sendable, Equatable, Hashable {
    public var address: String
    public var name: String?

    public init(address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }
}

/// A file that came with a message, decoded from its transfer encoding.
public struct MailAttachment: Sendable, Equatable {
    public var filename: String?
    public var contentType: String
    public var data: Data
    /// Larger than the configured limit: `data` is empty and only the size is kept.
    public var truncated: Bool
    public var size: Int
}

/// A message as the service needs it: decoded headers, the text to read, the attachments.
/// Made by `MIMEParser` from raw bytes; no libetpan type leaks past it.
public struct ParsedMail: Sendable, Equatable {
    public var messageId: String?
    public var inReplyTo: [String] = []
    public var references: [String] = []
    public var from: MailAddress?
    public var to: [MailAddress] = []
    public var subject: String?
    public var returnPath: String?
    /// Every other header, names lower-cased, values unfolded and decoded.
    public var otherHeaders: [String: String] = [:]
    /// The top-level content type, lower-cased ("multipart/report" for a bounce).
    public var contentType: String = "text/plain"
    /// The body to read: text/plain preferred, HTML turned into text when it is all there is.
    public var text: String = ""
    public var attachments: [MailAttachment] = []
    /// What could not be decoded exactly (an unknown charset read as Windows-1252, …).
    public var warnings: [String] = []

    public func header(_ name: String) -> String? {
        otherHeaders[name.lowercased()]
    }
}

/// Why a message could not be parsed at all; it is then kept raw with this text recorded.
public struct MailParseError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
