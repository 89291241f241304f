import CEtpan
import Foundation
import Glibc
import IntakeCore

/// Walks one parsed libetpan MIME tree and fills a `ParsedMail`. Lives only inside `MIMEParser.parse`,
/// while the raw buffer the tree points into is alive.
struct MIMEWalker {
    let attachmentLimit: Int
    var mail = ParsedMail()
    private var plain: [String] = []
    private var html: [String] = []

    init(attachmentLimit: Int) {
        self.attachmentLimit = attachmentLimit
    }

    // MARK: Headers

    mutating func readHeaders(_ fields: UnsafeMutablePointer<mailimf_fields>) {
        for field in CList.items(fields.pointee.fld_list, as: mailimf_field.self) {
            let data = field.pointee.fld_data
            switch field.pointee.fld_type {
            case Int32(MAILIMF_FIELD_MESSAGE_ID):
                if let id = data.fld_message_id?.pointee.mid_value { mail.messageId = String(cString: id) }
            case Int32(MAILIMF_FIELD_IN_REPLY_TO):
                mail.inReplyTo = Self.strings(data.fld_in_reply_to?.pointee.mid_list)
            case Int32(MAILIMF_FIELD_REFERENCES):
                mail.references = Self.strings(data.fld_references?.pointee.mid_list)
            case Int32(MAILIMF_FIELD_SUBJECT):
                if let value = data.fld_subject?.pointee.sbj_value { mail.subject = MIMEParser.decodeHeader(value) }
            case Int32(MAILIMF_FIELD_FROM):
                mail.from = Self.mailboxes(data.fld_from?.pointee.frm_mb_list).first
            case Int32(MAILIMF_FIELD_TO):
                mail.to = Self.addresses(data.fld_to?.pointee.to_addr_list)
            case Int32(MAILIMF_FIELD_RETURN_PATH):
                let path = data.fld_return_path?.pointee.ret_path?.pointee.pt_addr_spec
                mail.returnPath = path.map { String(cString: $0) } ?? ""
            case Int32(MAILIMF_FIELD_OPTIONAL_FIELD):
                guard let optional = data.fld_optional_field, let name = optional.pointee.fld_name, let value = optional.pointee.fld_value else { break }
                let key = String(cString: name).lowercased()
                if mail.otherHeaders[key] == nil { mail.otherHeaders[key] = MIMEParser.decodeHeader(value) }
            default:
                break
            }
        }
    }

    private static func mailboxes(_ list: UnsafeMutablePointer<mailimf_mailbox_list>?) -> [MailAddress] {
        guard let list else { return [] }
        return CList.items(list.pointee.mb_list, as: mailimf_mailbox.self).compactMap(address)
    }

    private static func addresses(_ list: UnsafeMutablePointer<mailimf_address_list>?) -> [MailAddress] {
        guard let list else { return [] }
        return CList.items(list.pointee.ad_list, as: mailimf_address.self).flatMap { item -> [MailAddress] in
            if item.pointee.ad_type == Int32(MAILIMF_ADDRESS_MAILBOX) { return address(item.pointee.ad_data.ad_mailbox).map { [$0] } ?? [] }
            return mailboxes(item.pointee.ad_data.ad_group?.pointee.grp_mb_list)
        }
    }

    private static func address(_ mailbox: UnsafeMutablePointer<mailimf_mailbox>?) -> MailAddress? {
        guard let mailbox, let spec = mailbox.pointee.mb_addr_spec else { return nil }
        let name = mailbox.pointee.mb_display_name.map { MIMEParser.decodeHeader($0) }
        return MailAddress(address: String(cString: spec), name: name?.isEmpty == true ? nil : name)
    }

    // MARK: Body

    /// Deeper nesting than any mail program writes: parts below it are not read (and say so).
    static let maximumDepth = 32

    mutating func walk(_ mime: UnsafeMutablePointer<mailmime>, depth: Int = 0) {
        guard depth < Self.maximumDepth else {
            if !mail.warnings.contains(Self.tooDeep) { mail.warnings.append(Self.tooDeep) }
            return
        }
        switch mime.pointee.mm_type {
        case Int32(MAILMIME_SINGLE):
            single(mime)
        case Int32(MAILMIME_MULTIPLE):
            let type = Self.contentType(mime.pointee.mm_content_type)
            let children = CList.items(mime.pointee.mm_data.mm_multipart.mm_mp_list, as: mailmime.self)
            if let body = Self.bodyWithoutItsBoundary(mime) {
                // The declared boundary never appears: read the whole body as text rather than lose it.
                mail.warnings.append("\(type) without its boundary; the body was read as plain text")
                plain.append(Charset.decode(body, charset: nil).text)
            } else if type == "multipart/alternative" {
                // One body in several forms: read the plain one, else the richest HTML.
                var best: UnsafeMutablePointer<mailmime>?
                for child in children where Self.contentType(child.pointee.mm_content_type) == "text/plain" { best = best ?? child }
                for child in children where best == nil && child.pointee.mm_type == Int32(MAILMIME_MULTIPLE) { best = child }
                // An empty alternative has nothing to read (and must not be walked again as itself).
                if let chosen = best ?? children.last { walk(chosen, depth: depth + 1) }
                for child in children where child != best && Self.contentType(child.pointee.mm_content_type) != "text/html" && child.pointee.mm_type == Int32(MAILMIME_SINGLE) {
                    single(child)
                }
            } else {
                for child in children { walk(child, depth: depth + 1) }
            }
        case Int32(MAILMIME_MESSAGE):
            // A message attached to the message (a forwarded mail, a bounce's original): kept as an attachment.
            addAttachment(filename: "message.eml", type: "message/rfc822", bytes: Self.rawBytes(mime))
        default:
            break
        }
    }

    static let tooDeep = "parts nested more than \(maximumDepth) levels deep were not read"

    private mutating func single(_ mime: UnsafeMutablePointer<mailmime>) {
        var fields = mailmime_single_fields()
        mailmime_single_fields_init(&fields, mime.pointee.mm_mime_fields, mime.pointee.mm_content_type)
        let type = Self.contentType(mime.pointee.mm_content_type)
        let filename = (fields.fld_disposition_filename ?? fields.fld_content_name).map { MIMEParser.decodeHeader($0) }
        let isAttachment = fields.fld_disposition?.pointee.dsp_type?.pointee.dsp_type == Int32(MAILMIME_DISPOSITION_TYPE_ATTACHMENT)
        let bytes = decodedBody(mime, encoding: fields.fld_encoding?.pointee.enc_type ?? Int32(MAILMIME_MECHANISM_8BIT))
        if !isAttachment, filename == nil, type == "text/plain" || type == "text/html" {
            let charset = fields.fld_content_charset.map { String(cString: $0) }
            let (text, warning) = Charset.decode(bytes, charset: charset)
            if let warning { mail.warnings.append(warning) }
            if type == "text/plain" { plain.append(text) } else { html.append(text) }
            return
        }
        addAttachment(filename: filename, type: type, bytes: bytes)
    }

    private mutating func addAttachment(filename: String?, type: String, bytes: Data) {
        let tooLarge = bytes.count > attachmentLimit
        if tooLarge { mail.warnings.append("attachment \(filename ?? type) of \(bytes.count) bytes is over the \(attachmentLimit)-byte limit: not kept") }
        mail.attachments.append(MailAttachment(filename: filename, contentType: type, data: tooLarge ? Data() : bytes, truncated: tooLarge, size: bytes.count))
    }

    /// The part's bytes with base64 or quoted-printable undone.
    private mutating func decodedBody(_ mime: UnsafeMutablePointer<mailmime>, encoding: Int32) -> Data {
        guard let data = mime.pointee.mm_data.mm_single, data.pointee.dt_type == Int32(MAILMIME_DATA_TEXT),
            let text = data.pointee.dt_data.dt_text.dt_data
        else { return Data() }
        let length = data.pointee.dt_data.dt_text.dt_length
        guard data.pointee.dt_encoded != 0 else { return Data(bytes: text, count: length) }
        var index = 0
        var decoded: UnsafeMutablePointer<CChar>?
        var decodedLength = 0
        guard mailmime_part_parse(text, length, &index, encoding, &decoded, &decodedLength) == Int32(MAILIMF_NO_ERROR), let decoded else {
            mail.warnings.append("a part's transfer encoding could not be decoded; kept as it was")
            return Data(bytes: text, count: length)
        }
        defer { mailmime_decoded_part_free(decoded) }
        return Data(bytes: decoded, count: decodedLength)
    }

    /// Chooses the text to read once the tree is walked.
    mutating func finish() {
        let text = plain.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        mail.text = text.isEmpty ? html.map(HTMLText.plainText).joined(separator: "\n") : plain.joined(separator: "\n")
    }

    // MARK: libetpan helpers

    static func contentType(_ content: UnsafeMutablePointer<mailmime_content>?) -> String {
        guard let content, let type = content.pointee.ct_type else { return "text/plain" }
        var major = "application"
        if type.pointee.tp_type == Int32(MAILMIME_TYPE_DISCRETE_TYPE), let discrete = type.pointee.tp_data.tp_discrete_type {
            switch discrete.pointee.dt_type {
            case Int32(MAILMIME_DISCRETE_TYPE_TEXT): major = "text"
            case Int32(MAILMIME_DISCRETE_TYPE_IMAGE): major = "image"
            case Int32(MAILMIME_DISCRETE_TYPE_AUDIO): major = "audio"
            case Int32(MAILMIME_DISCRETE_TYPE_VIDEO): major = "video"
            case Int32(MAILMIME_DISCRETE_TYPE_EXTENSION): major = discrete.pointee.dt_extension.map { String(cString: $0) } ?? "application"
            default: major = "application"
            }
        } else if let composite = type.pointee.tp_data.tp_composite_type {
            switch composite.pointee.ct_type {
            case Int32(MAILMIME_COMPOSITE_TYPE_MESSAGE): major = "message"
            case Int32(MAILMIME_COMPOSITE_TYPE_MULTIPART): major = "multipart"
            default: major = composite.pointee.ct_token.map { String(cString: $0) } ?? "multipart"
            }
        }
        let subtype = content.pointee.ct_subtype.map { String(cString: $0) } ?? "octet-stream"
        return "\(major)/\(subtype)".lowercased()
    }

    /// The raw body of a multipart whose boundary line is missing from it, else nil.
    private static func bodyWithoutItsBoundary(_ mime: UnsafeMutablePointer<mailmime>) -> Data? {
        guard let body = mime.pointee.mm_body, let bytes = body.pointee.dt_data.dt_text.dt_data else { return nil }
        let data = Data(bytes: bytes, count: body.pointee.dt_data.dt_text.dt_length)
        let parameter = "boundary".withCString { name in mailmime_content_param_get(mime.pointee.mm_content_type, UnsafeMutablePointer(mutating: name)) }
        guard let parameter else { return data }
        return data.range(of: Data(("--" + String(cString: parameter)).utf8)) == nil ? data : nil
    }

    private static func rawBytes(_ mime: UnsafeMutablePointer<mailmime>) -> Data {
        guard let start = mime.pointee.mm_mime_start else { return Data() }
        return Data(bytes: start, count: mime.pointee.mm_length)
    }


    private static func strings(_ list: UnsafeMutablePointer<clist>?) -> [String] {
       CList.items(list, as: CChar.self).map { String(cString: $0) }
    }
}
