import Foundation
import IntakeWebhook

/// One webhook body of `provider`, as its route receives it (after the signature check), through
/// `ProviderPayload.parse`. A malformed body must throw (the route answers 400), never trap; what it
/// returns must keep the parser's promises.
public func fuzzWebhookBody(_ provider: ProviderPayload, _ bytes: UnsafeRawPointer, _ count: Int) -> CInt {
    let body = Data(bytes: bytes, count: count)
    guard let batch = try? provider.parse(body) else { return 0 }
    for chat in batch.messages {
        // Non-empty ids and senders of at most 256 bytes without control characters, text without NUL.
        precondition(chat.channel == provider.channel, "channel \(chat.channel)")
        let id = provider == .generic ? ProviderPayload.gatewayId(chat.id) : chat.id
        for (name, value) in [("id", id), ("sender", chat.from)] {
            precondition(!value.isEmpty && value.utf8.count <= 256, "\(name) \(value.debugDescription)")
            precondition(!value.unicodeScalars.contains(where: ProviderPayload.isControl), "\(name) with a control character: \(value.debugDescription)")
        }
        precondition(!chat.text.unicodeScalars.contains("\u{0}"), "text with NUL")
        if provider == .generic {
            // Generic ids are scoped by sender, and the gateway's own id comes back out of them.
            precondition(ProviderPayload.scopedId(from: chat.from, id: id) == chat.id, "id \(chat.id.debugDescription)")
        }
        _ = chat.text.trimmingCharacters(in: .whitespacesAndNewlines).count + (chat.name?.count ?? 0) + (chat.language?.count ?? 0)
    }
    for status in batch.statuses { _ = status.id.utf8.count + status.status.utf8.count }
    return 0
}
