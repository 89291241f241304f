import CEtpan
import Foundation
import Glibc
import IntakeCore

/// Decodes a raw RFC 5322 message with libetpan's `mailmime`: headers (RFC 2047), the MIME tree,
/// transfer encodings and charsets (through iconv). The only file that walks libetpan's MIME structures.
public enum MIMEParser {
    public static func parse(_ raw: Data, attachmentLimit: Int = 10 * 1024 * 1024) throws -> ParsedMail {
        guard !raw.isEmpty else { throw MailParseError("empty message") }
        return try raw.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) throws -> ParsedMail in
            let base = buffer.baseAddress!.assumingMemoryBound(to: CChar.self)
            var index = 0
            var root: UnsafeMutablePointer<mailmime>?
            let code = mailmime_parse(base, buffer.count, &index, &root)
            guard code == Int32(MAILIMF_NO_ERROR), let root else { throw MailParseError("the MIME structure cannot be parsed (libetpan error \(code))") }
            defer { mailmime_free(root) }
            var walker = MIMEWalker(attachmentLimit: attachmentLimit)
            if root.pointee.mm_type == Int32(MAILMIME_MESSAGE), let fields = root.pointee.mm_data.mm_message.mm_fields {
                walker.readHeaders(fields)
            }
            walker.mail.contentType = MIMEWalker.contentType(root.pointee.mm_content_type)
            if root.pointee.mm_type == Int32(MAILMIME_MESSAGE), let body = root.pointee.mm_data.mm_message.mm_msg_mime {
                walker.mail.contentType = MIMEWalker.contentType(body.pointee.mm_content_type)
                walker.walk(body)
            } else {
                walker.walk(root)
            }
            walker.finish()
            return walker.mail
        }
    }

    /// Decodes an RFC 2047 header value ("=?utf-8?B?…?=") to text; raw 8-bit values are read as
    /// UTF-8 when they are valid UTF-8, else as Windows-1252.
    static func decodeHeader(_ raw: UnsafePointer<CChar>) -> String {
        let length = strlen(raw)
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: length)
        let fallback = String(validating: bytes, as: UTF8.self) != nil ? "utf-8" : "windows-1252"
        var index = 0
        var result: UnsafeMutablePointer<CChar>?
        if mailmime_encoded_phrase_parse(fallback, raw, length, &index, "utf-8", &result) == Int32(MAILIMF_NO_ERROR), let result {
            defer { free(result) }
            return String(cString: result)
        }
        return Charset.decode(Data(bytes), charset: fallback).text
    }
}

/// Converts bytes in a named charset to text with libetpan's charconv (iconv underneath).
enum Charset {
    static func decode(_ data: Data, charset: String?) -> (text: String, warning: String?) {
        let name = (charset ?? "us-ascii").trimmingCharacters(in: .whitespaces).lowercased()
        if ["utf-8", "utf8", "us-ascii", "ascii", ""].contains(name), let text = String(data: data, encoding: .utf8) { return (text, nil) }
        let converted: String? = data.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self) else { return "" }
            var out: UnsafeMutablePointer<CChar>?
            var outLength = 0
            guard charconv_buffer("utf-8", name, base, buffer.count, &out, &outLength) == Int32(MAIL_CHARCONV_NO_ERROR), let out else { return nil }
            defer { charconv_buffer_free(out) }
            return String(decoding: UnsafeRawBufferPointer(start: out, count: outLength), as: UTF8.self)
        }
        if let converted { return (converted, nil) }
        if let text = String(data: data, encoding: .utf8) { return (text, "charset '\(name)' could not be converted; the text was valid UTF-8") }
        let text = String(data: data, encoding: .windowsCP1252) ?? String(decoding: data.map { $0 < 0x80 ? $0 : 0x3F }, as: UTF8.self)
        return (text, "charset '\(name)' could not be converted; read as Windows-1252")
    }
}
