import Foundation

/// The WhatsApp Cloud API webhook body: entry[].changes[].value with messages[], contacts[], statuses[].
struct WhatsAppPayload: Decodable {
    struct Entry: Decodable { let changes: [Change]? }
    struct Change: Decodable {
        let value: Value?
        let field: String?
    }
    struct Value: Decodable {
        let contacts: [Contact]?
        let messages: [Message]?
        let statuses: [Status]?
    }
    struct Contact: Decodable {
        struct Profile: Decodable { let name: String? }
        let profile: Profile?
        let wa_id: String?
    }
    struct Message: Decodable {
        struct Text: Decodable { let body: String }
        struct Reply: Decodable {
            let id: String
            let title: String?
        }
        struct Interactive: Decodable {
            let type: String
            let button_reply: Reply?
            let list_reply: Reply?
        }
        struct Button: Decodable {
            let text: String?
            let payload: String?
        }
        /// An image, video or document; only its caption is read.
        struct Media: Decodable { let caption: String? }
        let from: String
        let id: String
        let type: String
        let text: Text?
        let interactive: Interactive?
        let button: Button?
        let image: Media?
        let video: Media?
        let document: Media?
    }
    struct Status: Decodable {
        let id: String
        let status: String
    }
    let object: String?
    let entry: [Entry]

    static func parse(_ body: Data) throws -> WebhookBatch {
        let payload: WhatsAppPayload
        do {
            payload = try JSONDecoder().decode(WhatsAppPayload.self, from: body)
        } catch {
            throw WebhookRejection.badRequest("WhatsApp payload: \(DecodingErrorText.describe(error))")
        }
        var batch = WebhookBatch()
        for change in payload.entry.flatMap({ $0.changes ?? [] }) {
            guard let value = change.value else { continue }
            let names = Dictionary((value.contacts ?? []).compactMap { c in c.wa_id.map { ($0, c.profile?.name) } }, uniquingKeysWith: { a, _ in a })
            for message in value.messages ?? [] {
                var chat = IncomingChat(channel: "whatsapp", id: message.id, from: message.from, name: names[message.from] ?? nil, text: "")
                switch message.type {
                case "text": chat.text = message.text?.body ?? ""
                case "interactive":
                    // Our buttons and list rows carry the option number as their id: the engine reads "2".
                    chat.text = message.interactive?.button_reply?.id ?? message.interactive?.list_reply?.id ?? ""
                case "button": chat.text = message.button?.payload ?? message.button?.text ?? ""
                // A reaction (👍 on one of our messages) is not an answer; nothing to say back.
                case "reaction": continue
                default:
                    // A photo with a caption answers with its caption; the file itself is not kept.
                    let caption = (message.image ?? message.video ?? message.document)?.caption ?? ""
                    chat.text = caption
                    chat.unreadMedia = caption.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                }
                batch.messages.append(chat)
            }
            batch.statuses += (value.statuses ?? []).map { ($0.id, $0.status) }
        }
        return batch
    }
}

/// A short, safe description of a JSON decoding failure (which key, what was wrong), without the body.
enum DecodingErrorText {
    static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "not JSON" }
        switch error {
        case .keyNotFound(let key, let context): return "missing '\(key.stringValue)' at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "wrong type at \(path(context))"
        case .dataCorrupted(let context): return context.codingPath.isEmpty ? "malformed JSON" : "bad value at \(path(context))"
        @unknown default: return "invalid JSON"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? "the top" : path
    }
}
