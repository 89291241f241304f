import CCurlShim
import Foundation

/// An HTTP answer as the outbox needs it.
public struct HTTPResult: Sendable {
    public let status: Int
    public let body: Data
    /// Seconds from a `Retry-After` header, when the server sent one.
    public let retryAfter: Double?
    /// The last response's Content-Type, lower case; whether the body was cut at the limit.
    public var contentType: String? = nil
    public var truncated = false
}

/// A file over the size we accept.
public struct HTTPBodyTooLarge: Error, Sendable {
    public let limit: Int
}

/// The request never got an HTTP answer (DNS, refused connection, timeout).
public struct HTTPTransportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    /// Bytes of the request left us before it failed (a timeout while waiting for the answer): the
    /// provider may have acted on it, so sending it again could deliver it twice.
    public let mayHaveBeenDelivered: Bool
}

/// POSTs JSON with libcurl. Blocking: call it from a thread of its own. Secrets travel in headers
/// and are never part of an error text.
public struct HTTPClient: Sendable {
    /// Longest wait for the connection (TCP and TLS), then for the whole request and its answer.
    public var connectTimeoutSeconds: Int
    public var timeoutSeconds: Int

    public init(connectTimeoutSeconds: Int = 5, timeoutSeconds: Int = 20) {
        self.connectTimeoutSeconds = max(1, connectTimeoutSeconds)
        self.timeoutSeconds = max(1, timeoutSeconds)
    }

    public func post(url: String, json: Data, headers: [String: String]) throws -> HTTPResult {
        try perform(url: url, json: json, headers: headers, limit: 1 << 20)
    }

    /// GETs `url` (a provider's file), keeping at most `limit` bytes of the body: a longer one throws
    /// `HTTPBodyTooLarge`. No redirect is followed.
    public func get(url: String, headers: [String: String], limit: Int) throws -> HTTPResult {
        let result = try perform(url: url, json: nil, headers: headers, limit: limit)
        if result.truncated { throw HTTPBodyTooLarge(limit: limit) }
        return result
    }

    private func perform(url: String, json: Data?, headers: [String: String], limit: Int) throws -> HTTPResult {
        guard let curl = curl_easy_init() else { throw HTTPTransportError(description: "curl could not start", mayHaveBeenDelivered: false) }
        defer { curl_easy_cleanup(curl) }
        var list: UnsafeMutablePointer<curl_slist>? = json == nil ? nil : curl_slist_append(nil, "Content-Type: application/json")
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) where !value.contains(where: \.isNewline) {
            list = curl_slist_append(list, "\(name): \(value)")
        }
        defer { curl_slist_free_all(list) }
        var body = gcr_curl_buffer()
        var head = gcr_curl_buffer()
        defer {
            gcr_curl_buffer_free(&body)
            gcr_curl_buffer_free(&head)
        }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code: CURLcode = (json ?? Data()).withUnsafeBytes { bytes in
            errorBuffer.withUnsafeMutableBufferPointer { errors in
                _ = gcr_curl_setopt_string(curl, CURLOPT_URL, url)
                _ = gcr_curl_setopt_pointer(curl, CURLOPT_HTTPHEADER, list)
                if json != nil {
                    _ = gcr_curl_setopt_long(curl, CURLOPT_POST, 1)
                    _ = gcr_curl_setopt_pointer(curl, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                    _ = gcr_curl_setopt_long(curl, CURLOPT_POSTFIELDSIZE, bytes.count)
                }
                _ = gcr_curl_setopt_long(curl, CURLOPT_TIMEOUT, timeoutSeconds)
                _ = gcr_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT, min(timeoutSeconds, connectTimeoutSeconds))
                _ = gcr_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
                _ = gcr_curl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, errors.baseAddress)
                _ = gcr_curl_collect_body(curl, &body, limit)
                _ = gcr_curl_collect_headers(curl, &head, 1 << 16)
                return curl_easy_perform(curl)
            }
        }
        var status = 0
        _ = gcr_curl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &status)
        // An answer whose body is over our limit is still an answer: its status counts, its body is cut.
        let answeredTooMuch = code == CURLE_WRITE_ERROR && status > 0
        guard code == CURLE_OK || answeredTooMuch else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            // The URL may hold a token (Telegram's /bot<token>/): only the host goes into the message.
            let host = URLComponents(string: url)?.host ?? "the API"
            var sent = 0
            _ = gcr_curl_getinfo_long(curl, CURLINFO_REQUEST_SIZE, &sent)
            throw HTTPTransportError(
                description: "no HTTP answer from \(host): \(detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)", mayHaveBeenDelivered: sent > 0)
        }
        let data = body.data.map { Data(bytes: $0, count: body.length) } ?? Data()
        let headerText = head.data.map { String(decoding: Data(bytes: $0, count: head.length), as: UTF8.self) } ?? ""
        return HTTPResult(
            status: status, body: data, retryAfter: Self.retryAfter(headerText), contentType: Self.header("content-type", in: headerText), truncated: answeredTooMuch)
    }

    /// The value of header `name` in the last response of `headers`, lower case.
    static func header(_ name: String, in headers: String) -> String? {
        var value: String?
        for line in headers.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("HTTP/") { value = nil }
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == name {
                value = parts[1].trimmingCharacters(in: .whitespaces).lowercased()
            }
        }
        return value
    }

    /// The Retry-After of the last response in `headers` (curl collects those of every response).
    static func retryAfter(_ headers: String) -> Double? {
        var seconds: Double?
        for line in headers.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1)
            if line.hasPrefix("HTTP/") { seconds = nil }
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "retry-after" else { continue }
            seconds = RetryAfter.seconds(String(parts[1]))
        }
        return seconds
    }
}
