import Foundation
import IntakeCore
import IntakeMail
import IntakeStore
import IntakeWebhook

/// Sends email outbox rows over SMTP: composes the message from the row (threading headers were set
/// when it was queued) and submits it with libcurl on a thread of its own.
public struct EmailTransport: OutboxTransport {
    public let channel = Channel.email
    public let concurrency: Int
    let sender: SMTPSender
    let from: MailAddress

    public init(sender: SMTPSender, from: MailAddress, concurrency: Int = 2) {
        self.concurrency = concurrency
        self.sender = sender
        self.from = from
    }

    public func deliver(_ message: OutboxMessage) async throws -> String? {
        let headers = (try? JSONDecoder().decode([String: String].self, from: Data(message.headers.utf8))) ?? [:]
        let messageId = headers["Message-ID"] ?? message.externalId ?? "gcr.outbox-\(message.id ?? 0)@\(from.address.split(separator: "@").last ?? "invalid")"
        let mail = OutgoingMail(
            from: from, to: message.recipient, subject: message.subject ?? "", body: message.body, messageId: messageId,
            inReplyTo: headers["In-Reply-To"], references: headers["References"]?.split(separator: " ").map(String.init) ?? [], date: Date(),
            html: message.html)
        let data: Data
        do {
            data = try MailComposer.compose(mail)
        } catch {
            throw DeliveryError(.permanent, summary: "message could not be composed", detail: "\(error)")
        }
        let sender = self.sender
        let (from, to) = (from.address, message.recipient)
        do {
            try await Blocking.run { try sender.send(data, from: from, to: to) }
        } catch let error as SMTPError {
            // No SMTP answer at all: the server is down, hold every mail. A 4xx concerns this mail only.
            // A repeat after a lost answer carries the same Message-ID, by which mail systems recognise it.
            let summary = error.code > 0 ? "SMTP \(error.code)" : "no SMTP answer"
            throw DeliveryError(error.permanent ? .permanent : .retry, summary: summary, detail: error.description, channelDown: error.code == 0 || error.code == 421)
        }
        return messageId
    }
}
