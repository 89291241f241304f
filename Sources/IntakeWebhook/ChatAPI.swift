import Foundation
import IntakeCore

/// A provider API answered with an error status. `retryAfter` from its Retry-After header.
public struct ProviderHTTPError: Error, CustomStringConvertible, Sendable {
    public let status: Int
    public let retryAfter: Double?
    public let detail: String
    /// The provider's own error code in its JSON body ({"error": {"code": 131047}} from the Graph API), read from the whole body.
    public var code: Int? = nil

    public init(status: Int, retryAfter: Double?, detail: String, body: Data? = nil) {
        self.status = status
        self.retryAfter = retryAfter
        self.detail = detail
        if let body, let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let error = object["error"] as? [String: Any] {
            code = (error["code"] as? NSNumber)?.intValue
        }
    }
    public var description: String { "provider answered \(status): \(detail)" }
    /// 429 and 5xx may pass; any other 4xx will not.
    public var isTransient: Bool { status == 429 || status >= 500 }
}

/// What a chat API needs to send one reply.
public struct ChatReply: Sendable {
    public var to: String
    public var text: String
    public var options: [Reply.Option]
    /// The label of a list's open button, in the contributor's language.
    public var listButton: String
    /// Our outbox id and the message answered, for the generic hook.
    public var id: String
    public var inReplyTo: String?
    /// Parts of a split reply already sent on an earlier attempt: skipped.
    public var partsSent: Int

    public init(to: String, text: String, options: [Reply.Option], listButton: String, id: String, inReplyTo: String?, partsSent: Int = 0) {
        self.partsSent = partsSent
        self.to = to
        self.text = text
        self.options = options
        self.listButton = listButton
        self.id = id
        self.inReplyTo = inReplyTo
    }
}

/// A split reply failed after some of its parts reached the provider.
public struct PartialDeliveryError: Error, CustomStringConvertible, Sendable {
    /// Parts sent in all (earlier attempts included).
    public let partsSent: Int
    public let underlying: any Error
    public var description: String { "failed after \(partsSent) parts: \(underlying)" }
}

/// Sends the parts of one reply in order, from the first not yet sent; each POST returns the
/// provider's id of that part. Returns the last id.
func sendParts(_ bodies: [[String: Any]], from first: Int, post: ([String: Any]) throws -> String?) throws -> String? {
    var lastId: String?
    for (index, body) in bodies.enumerated() where index >= first {
        do {
            lastId = try post(body) ?? lastId
        } catch {
            guard index > 0 else { throw error }
            throw PartialDeliveryError(partsSent: index, underlying: error)
        }
    }
    return lastId
}

/// Cuts text into pieces of at most `limit` UTF-16 units (how Telegram and WhatsApp count), at line
/// breaks when it can, else between Unicode scalars (a letter under hundreds of accents is not one unit).
public enum TextSplitter {
    public static func split(_ text: String, limit: Int) -> [String] {
        guard text.utf16.count > limit, limit > 1 else { return [text] }
        var pieces: [String] = []
        var current = ""
        for line in text.components(separatedBy: "\n") {
            var rest = Array(line.unicodeScalars)
            while units(rest) > limit {
                if !current.isEmpty { pieces.append(current); current = "" }
                var count = 0
                var end = 0
                while end < rest.count, count + rest[end].utf16.count <= limit {
                    count += rest[end].utf16.count
                    end += 1
                }
                pieces.append(string(rest[..<end]))
                rest.removeFirst(end)
            }
            let piece = string(rest[...])
            if current.isEmpty {
                current = piece
            } else if current.utf16.count + 1 + piece.utf16.count <= limit {
                current += "\n" + piece
            } else {
                pieces.append(current)
                current = piece
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    private static func units(_ scalars: [Unicode.Scalar]) -> Int {
        scalars.reduce(0) { $0 + $1.utf16.count }
    }

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}

extension HTTPClient {
    /// POSTs and returns the JSON answer, or throws ProviderHTTPError for a non-2xx status.
    func postJSON(url: String, object: Any, headers: [String: String]) throws -> [String: Any] {
        let result = try postExpectingSuccess(url: url, json: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), headers: headers)
        return (try? JSONSerialization.jsonObject(with: result.body)) as? [String: Any] ?? [:]
    }

    /// POSTs `json`; a non-2xx answer becomes a ProviderHTTPError.
    func postExpectingSuccess(url: String, json: Data, headers: [String: String]) throws -> HTTPResult {
        let result = try post(url: url, json: json, headers: headers)
        guard (200..<300).contains(result.status) else {
            throw ProviderHTTPError(
                status: result.status, retryAfter: result.retryAfter, detail: String(decoding: result.body.prefix(300), as: UTF8.self), body: result.body)
        }
        return result
    }
}
