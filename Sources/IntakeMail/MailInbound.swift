import Crypto
import Foundation
import IntakeCore

/// Turns a raw email into the pipeline's `InboundMessage`: decoded, quoted history stripped, machine
/// mail marked "do not answer", unreadable mail kept raw with its error.
public struct MailInbound: Sendable {
    /// Our own addresses: mail from them is never answered.
    public var ourAddresses: [String]
    public var attachmentLimit: Int

    public init(ourAddresses: [String], attachmentLimit: Int = 10 * 1024 * 1024) {
        self.ourAddresses = ourAddresses
        self.attachmentLimit = attachmentLimit
    }

    public func message(from raw: Data, receivedAt: Date) -> InboundMessage {
        let digest = "sha256:" + Self.sha256(raw)
        let mail: ParsedMail
        do {
            mail = try MIMEParser.parse(raw, attachmentLimit: attachmentLimit)
        } catch {
            var message = InboundMessage(channel: .email, externalId: digest, sender: "", text: "", receivedAt: receivedAt, rawSize: raw.count)
            message.raw = raw
            message.parseError = "\(error)"
            return message
        }
        // Without a Message-ID the content's hash identifies the message, so a rescan still finds it.
        var message = InboundMessage(
            channel: .email, externalId: mail.messageId ?? digest, sender: mail.from?.address.lowercased() ?? "",
            displayName: mail.from?.name, text: ReplyStripper.strip(mail.text), receivedAt: receivedAt, rawSize: raw.count)
        message.raw = raw
        message.fullText = mail.text
        message.subject = mail.subject
        MailThread.annotate(&message)
        message.references = mail.references + mail.inReplyTo.filter { !mail.references.contains($0) }
        message.threadKey = mail.subject
        message.attachments = mail.attachments.map { file in
            InboundAttachment(
                filename: file.filename, contentType: file.contentType, size: file.size, sha256: file.truncated ? "" : Self.sha256(file.data),
                data: file.truncated ? nil : file.data)
        }
        message.doNotAnswer = AutoReplyFilter.reason(mail, ourAddresses: ourAddresses)
        return message
    }

    static func sha256(_ data: Data) -> String {
        Hex.lowercase(SHA256.hash(data: data))
    }
}
