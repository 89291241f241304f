import Foundation

/// The generic hook's body: {"id", "from", "text", "name"?, "timestamp"?}, for SMS aggregators and relays.
struct GenericPayload: Decodable {
    let id: String
    let from: String
    let text: String
    let name: String?
    let timestamp: String?

    static func parse(_ body: Data) throws -> WebhookBatch {
        let payload: GenericPayload
        do {
            payload = try JSONDecoder().decode(GenericPayload.self, from: body)
        } catch {
            throw WebhookRejection.badRequest("generic hook: \(DecodingErrorText.describe(error))")
        }
        guard !payload.id.isEmpty, !payload.from.isEmpty else { throw WebhookRejection.badRequest("generic hook: empty 'id' or 'from'") }
        var batch = WebhookBatch()
        batch.messages.append(IncomingChat(channel: .generic, id: payload.id, from: payload.from, name: payload.name, text: payload.text))
        return batch
    }
}
