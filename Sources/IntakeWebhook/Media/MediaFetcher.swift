import Crypto
import Foundation
import IntakeCore
import NIOConcurrencyHelpers

/// Downloads a chat file through its provider's API (WhatsApp: the media's URL from the Graph API, then
/// the file, both with the access token; Telegram: getFile, then the file under /file/bot…), at most
/// `limit` bytes, of a type we keep. Blocking (libcurl): call it off the event loop.
public struct MediaFetcher: Sendable {
    public struct Credentials: Sendable {
        public let apiURL: String
        public let token: String
        public init(apiURL: String, token: String) {
            self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
            self.token = token
        }
    }

    public let limit: Int
    let whatsApp: Credentials?
    let telegram: Credentials?
    let http: HTTPClient
    /// Downloads at once at most (each holds a thread and up to `limit` bytes until its message is committed);
    /// past it a file is "unavailable" and the contributor is asked to send it again.
    public let maxInFlight: Int
    private let inFlight = NIOLockedValueBox(0)

    public init(limit: Int, whatsApp: Credentials?, telegram: Credentials?, http: HTTPClient = HTTPClient(), maxInFlight: Int = 4) {
        self.maxInFlight = max(1, maxInFlight)
        self.limit = limit
        self.whatsApp = whatsApp
        self.telegram = telegram
        self.http = http
    }

    /// The types we keep: recordings, photos, videos, PDF, plain text and office documents.
    static func isAllowed(_ type: String) -> Bool {
        let type = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let exact: Set = ["image/jpeg", "image/png", "image/webp", "video/mp4", "video/3gpp", "application/pdf", "text/plain", "application/msword"]
        return type.hasPrefix("audio/") || exact.contains(type) || type.hasPrefix("application/vnd.openxmlformats-officedocument.")
            || type.hasPrefix("application/vnd.oasis.opendocument.")
    }

    /// The file and what it is; a problem instead of the file when it is too large, of a refused type, or unavailable.
    public func fetch(_ reference: MediaReference) -> (file: InboundAttachment?, media: InboundMedia) {
        var media = InboundMedia(kind: reference.kind, durationSeconds: reference.durationSeconds)
        if reference.notAllowed || reference.mimeType.map({ !Self.isAllowed($0) }) == true {
            media.problem = .notAllowed
            return (nil, media)
        }
        if let size = reference.size, size > limit {
            media.problem = .tooLarge(limit: limit)
            return (nil, media)
        }
        guard inFlight.withLockedValue({ count in count < maxInFlight ? { count += 1; return true }() : false }) else {
            media.problem = .unavailable
            return (nil, media)
        }
        defer { inFlight.withLockedValue { $0 -= 1 } }
        do {
            let (data, type) = try download(reference)
            guard Self.isAllowed(type) else {
                media.problem = .notAllowed
                return (nil, media)
            }
            if media.durationSeconds == nil, reference.kind == .voice || reference.kind == .audio { media.durationSeconds = OggDuration.seconds(data) }
            let file = InboundAttachment(
                filename: reference.filename.flatMap(Self.safeName), contentType: type, size: data.count, sha256: Hex.lowercase(SHA256.hash(data: data)), data: data)
            return (file, media)
        } catch is HTTPBodyTooLarge {
            media.problem = .tooLarge(limit: limit)
        } catch {
            media.problem = .unavailable
        }
        return (nil, media)
    }

    private func download(_ reference: MediaReference) throws -> (Data, String) {
        switch reference.provider {
        case .whatsapp:
            guard let whatsApp else { throw MediaUnavailable() }
            let auth = ["Authorization": "Bearer \(whatsApp.token)"]
            let meta = try http.get(url: "\(whatsApp.apiURL)/\(reference.id)", headers: auth, limit: 64 * 1024)
            guard meta.status == 200, let object = try? JSONSerialization.jsonObject(with: meta.body) as? [String: Any],
                let url = object["url"] as? String, let parts = URLComponents(string: url), Self.mayCarryToken(parts, api: whatsApp.apiURL)
            else { throw MediaUnavailable() }
            if let size = (object["file_size"] as? NSNumber)?.intValue, size > limit { throw HTTPBodyTooLarge(limit: limit) }
            let file = try http.get(url: url, headers: auth, limit: limit)
            guard file.status == 200 else { throw MediaUnavailable() }
            return (file.body, (object["mime_type"] as? String) ?? file.contentType ?? reference.mimeType ?? "application/octet-stream")
        case .telegram:
            guard let telegram else { throw MediaUnavailable() }
            let answer = try http.postJSON(url: "\(telegram.apiURL)/bot\(telegram.token)/getFile", object: ["file_id": reference.id], headers: [:])
            guard let result = answer["result"] as? [String: Any], let path = result["file_path"] as? String, Self.isSafePath(path) else { throw MediaUnavailable() }
            if let size = (result["file_size"] as? NSNumber)?.intValue, size > limit { throw HTTPBodyTooLarge(limit: limit) }
            let file = try http.get(url: "\(telegram.apiURL)/file/bot\(telegram.token)/\(path)", headers: [:], limit: limit)
            guard file.status == 200 else { throw MediaUnavailable() }
            // Telegram serves files as application/octet-stream: the message's own type counts first.
            return (file.body, reference.mimeType ?? Self.typeFromPath(path) ?? file.contentType ?? "application/octet-stream")
        }
    }

    /// Where our WhatsApp token may go: Meta's media hosts over https, or the API's own host (a test's fake API).
    static func mayCarryToken(_ url: URLComponents, api: String) -> Bool {
        guard let host = url.host?.lowercased(), !host.isEmpty else { return false }
        if let apiHost = URLComponents(string: api)?.host?.lowercased(), host == apiHost, url.scheme == URLComponents(string: api)?.scheme { return true }
        let meta = ["fbsbx.com", "facebook.com", "whatsapp.net", "fbcdn.net"]
        return url.scheme == "https" && meta.contains { host == $0 || host.hasSuffix("." + $0) }
    }

    /// Telegram's file_path: "voice/file_12.oga"; no "..", no query, no scheme.
    static func isSafePath(_ path: String) -> Bool {
        !path.isEmpty && path.count <= 256 && !path.contains("..") && !path.hasPrefix("/")
            && path.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "/._-".unicodeScalars.contains($0)) }
    }

    static func typeFromPath(_ path: String) -> String? {
        let types = ["oga": "audio/ogg", "ogg": "audio/ogg", "mp3": "audio/mpeg", "m4a": "audio/mp4", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "mp4": "video/mp4", "pdf": "application/pdf"]
        return path.split(separator: ".").last.flatMap { types[$0.lowercased()] }
    }

    /// A file name as a contributor's phone gave it: no folders, no control characters, at most 120 characters
    /// (the extension kept); nil when nothing is left ("", ".", "..").
    static func safeName(_ name: String) -> String? {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        guard !clean.isEmpty, clean != ".", clean != ".." else { return nil }
        guard clean.count > 120 else { return clean }
        let dot = clean.lastIndex(of: ".")
        let suffix = dot.map { String(clean[$0...]) }.flatMap { $0.count <= 10 ? $0 : nil } ?? ""
        return String(clean.prefix(120 - suffix.count)) + suffix
    }
}

struct MediaUnavailable: Error {}
