import Foundation
import IntakeCore

/// A Telegram Bot API update: message or callback_query (a tap on our inline keyboard), in a private
/// chat. An edited message is not a new answer and is ignored, as is anything from a group: the
/// conversation is with one person.
struct TelegramUpdate: Decodable {
    struct User: Decodable {
        let id: Int64
        let first_name: String?
        let last_name: String?
        let language_code: String?
    }
    struct Chat: Decodable {
        let id: Int64
        /// private, group, supergroup or channel: only a private chat is one person.
        let type: String?
    }
    /// A voice note, audio, video, document or one size of a photo.
    struct File: Decodable {
        let file_id: String
        let file_size: Int64?
        let mime_type: String?
        let file_name: String?
        let duration: Int?
    }
    struct Message: Decodable {
        let message_id: Int64
        let from: User?
        let chat: Chat
        let text: String?
        let caption: String?
        let voice: File?
        let audio: File?
        let video: File?
        let video_note: File?
        let document: File?
        let photo: [File]?
        let sticker: File?
    }
    struct CallbackQuery: Decodable {
        let id: String
        let from: User
        let message: Message?
        let data: String?
    }
    let update_id: Int64
    let message: Message?
    let edited_message: Message?
    let callback_query: CallbackQuery?

    static func parse(_ body: Data) throws -> WebhookBatch {
        let update: TelegramUpdate
        do {
            update = try JSONDecoder().decode(TelegramUpdate.self, from: body)
        } catch {
            throw WebhookRejection.badRequest("Telegram update: \(DecodingErrorText.describe(error))")
        }
        var batch = WebhookBatch()
        let id = String(update.update_id)
        if let message = update.message, message.chat.type == "private" {
            // A photo or file with a caption answers with its caption; the file is fetched and kept (MediaFetcher).
            let text = message.text ?? message.caption ?? ""
            var chat = IncomingChat(channel: .telegram, id: id, from: String(message.chat.id), name: name(message.from), text: text)
            chat.media = media(message)
            chat.unreadMedia = chat.media == nil && text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            chat.language = message.from?.language_code
            batch.messages.append(chat)
        } else if let query = update.callback_query, let message = query.message, message.chat.type == "private" {
            var chat = IncomingChat(channel: .telegram, id: id, from: String(message.chat.id), name: name(query.from), text: query.data ?? "")
            chat.language = query.from.language_code
            batch.messages.append(chat)
            batch.callbackQueryId = query.id.count <= 128 && query.id.allSatisfy({ $0.isASCII && !$0.isWhitespace }) ? query.id : nil
        }
        return batch
    }

    /// The message's file: the largest photo size, or the voice note, audio, video or document; a sticker is refused.
    private static func media(_ message: Message) -> MediaReference? {
        let photo = message.photo?.max { ($0.file_size ?? 0) < ($1.file_size ?? 0) }
        let kinds: [(File?, InboundMedia.Kind)] = [
            (message.voice, .voice), (message.audio, .audio), (message.video ?? message.video_note, .video), (message.document, .document), (photo, .photo),
            (message.sticker, .photo),
        ]
        guard let (found, kind) = kinds.first(where: { $0.0 != nil }), let file = found, MediaReference.isSafeId(file.file_id) else { return nil }
        var reference = MediaReference(
            provider: .telegram, id: file.file_id, kind: kind, mimeType: file.mime_type ?? (kind == .photo ? "image/jpeg" : nil), filename: file.file_name,
            durationSeconds: file.duration.map { max(0, min($0, 86_400)) }, size: file.file_size.map { Int(clamping: $0) })
        reference.notAllowed = message.sticker != nil
        return reference
    }

    private static func name(_ user: User?) -> String? {
        guard let user else { return nil }
        let full = [user.first_name, user.last_name].compactMap { $0 }.joined(separator: " ")
        return full.isEmpty ? nil : full
    }
}
