import Foundation

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
    struct Message: Decodable {
        let message_id: Int64
        let from: User?
        let chat: Chat
        let text: String?
        let caption: String?
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
            // A photo or file with a caption answers with its caption; the file itself is not kept.
            let text = message.text ?? message.caption ?? ""
            var chat = IncomingChat(channel: "telegram", id: id, from: String(message.chat.id), name: name(message.from), text: text)
            chat.unreadMedia = text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            chat.language = message.from?.language_code
            batch.messages.append(chat)
        } else if let query = update.callback_query, let message = query.message, message.chat.type == "private" {
            var chat = IncomingChat(channel: "telegram", id: id, from: String(message.chat.id), name: name(query.from), text: query.data ?? "")
            chat.language = query.from.language_code
            batch.messages.append(chat)
        }
        return batch
    }

    private static func name(_ user: User?) -> String? {
        guard let user else { return nil }
        let full = [user.first_name, user.last_name].compactMap { $0 }.joined(separator: " ")
        return full.isEmpty ? nil : full
    }
}
