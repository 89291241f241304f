import CCurlShim
import Foundation

/// Why a message was not handed to the SMTP server. `permanent` for a 5xx answer: trying again will not help.
public struct SMTPError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public let permanent: Bool
    /// The server's reply code, 0 when it never answered.
    public var code: Int = 0
}

/// Submits messages with libcurl's SMTP client: STARTTLS when the server offers it on smtp://,
/// TLS from the start on smtps://. Blocking; each call uses its own curl handle.
public struct SMTPSender: Sendable {
    public let url: MailServerURL
    public let user: String?
    public let password: String?
    public let timeoutSeconds: Int

    public init(url: MailServerURL, user: String?, password: String?, timeoutSeconds: Int = 60) {
        self.url = url
        self.user = user
        self.password = password
        self.timeoutSeconds = timeoutSeconds
    }

    public func send(_ message: Data, from: String, to: String) throws {
        guard let curl = curl_easy_init() else { throw SMTPError(description: "curl could not start", permanent: false) }
        defer { curl_easy_cleanup(curl) }
        let recipients: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "<\(to)>")
        defer { curl_slist_free_all(recipients) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var cursor = gcr_curl_upload()
        let code: CURLcode = message.withUnsafeBytes { bytes in
            errorBuffer.withUnsafeMutableBufferPointer { errors in
                _ = gcr_curl_setopt_string(curl, CURLOPT_URL, url.description)
                _ = gcr_curl_setopt_string(curl, CURLOPT_MAIL_FROM, "<\(from)>")
                _ = gcr_curl_setopt_pointer(curl, CURLOPT_MAIL_RCPT, recipients)
                _ = gcr_curl_setopt_long(curl, CURLOPT_USE_SSL, url.implicitTLS ? Int(CURLUSESSL_ALL.rawValue) : Int(CURLUSESSL_TRY.rawValue))
                _ = gcr_curl_setopt_long(curl, CURLOPT_TIMEOUT, timeoutSeconds)
                _ = gcr_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT, min(timeoutSeconds, 20))
                _ = gcr_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
                _ = gcr_curl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, errors.baseAddress)
                if let user { _ = gcr_curl_setopt_string(curl, CURLOPT_USERNAME, user) }
                if let password { _ = gcr_curl_setopt_string(curl, CURLOPT_PASSWORD, password) }
                _ = gcr_curl_upload_from_memory(curl, &cursor, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
                return curl_easy_perform(curl)
            }
        }
        guard code != CURLE_OK else { return }
        var response = 0
        _ = gcr_curl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &response)
        let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        throw SMTPError(description: "SMTP to \(url) failed: \(text)" + (response > 0 ? " (server answered \(response))" : ""), permanent: (500..<600).contains(response),
            code: response)
    }
}
