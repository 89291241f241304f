import Foundation
import IntakeCore

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
        struct Media: Decodable {
            let id: String?
            let caption: String?
            let mime_type: String?
            let filename: String?
            let voice: Bool?
        }
        let from: String
        let id: String
        let type: String
        let text: Text?
        let interactive: Interactive?
        let button: Button?
        let image: Media?
        let video: Media?
        let document: Media?
        let audio: Media?
        let sticker: Media?
    }
    struct Status: Decodable {
        struct Failure: Decodable { let code: Int? }
        let id: String
        let status: String
        let errors: [Failure]?
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
                var chat = IncomingChat(channel: .whatsapp, id: message.id, from: message.from, name: names[message.from] ?? nil, text: "")
                switch message.type {
                case "text": chat.text = message.text?.body ?? ""
                case "interactive":
                    // Our buttons and list rows carry the option number as their id: the engine reads "2".
                    chat.text = message.interactive?.button_reply?.id ?? message.interactive?.list_reply?.id ?? ""
                case "button": chat.text = message.button?.payload ?? message.button?.text ?? ""
                // A reaction (👍 on one of our messages) is not an answer; nothing to say back.
                case "reaction": continue
                default:
                    // A photo with a caption answers with its caption; the file is fetched and kept (MediaFetcher).
                    let caption = (message.image ?? message.video ?? message.document)?.caption ?? ""
                    chat.text = caption
                    chat.media = media(message)
                    chat.unreadMedia = chat.media == nil && caption.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                }
                batch.messages.append(chat)
            }
            batch.statuses += (value.statuses ?? []).map { ($0.id, $0.status) }
            batch.failures += (value.statuses ?? []).compactMap { status in
                status.status == "failed" ? status.errors?.compactMap(\.code).first.map { (status.id, $0) } : nil
            }
        }
        return batch
    }

    /// The file of an audio, image, video, document or sticker message (a sticker is refused, not fetched).
    private static func media(_ message: Message) -> MediaReference? {
        let kinds: [(Message.Media?, InboundMedia.Kind)] = [
            (message.audio, message.audio?.voice == true ? .voice : .audio), (message.image, .photo), (message.video, .video), (message.document, .document),
            (message.sticker, .photo),
        ]
        guard let (file, kind) = kinds.first(where: { $0.0?.id != nil }), let file, let id = file.id, MediaReference.isSafeId(id) else { return nil }
        var reference = MediaReference(provider: .whatsapp, id: id, kind: kind, mimeType: file.mime_type, filename: file.filename)
        reference.notAllowed = message.sticker != nil
        return reference
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
