import Foundation

/// Sends replies with the Telegram Bot API's sendMessage; choices become an inline keyboard whose
/// buttons send back the option number.
public struct TelegramClient: Sendable {
    public let apiURL: String
    public let botToken: String
    public let http: HTTPClient
    public static let textLimit = 4096

    public init(apiURL: String, botToken: String, http: HTTPClient = HTTPClient()) {
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
        self.botToken = botToken
        self.http = http
    }

    public func send(_ reply: ChatReply) throws -> String? {
        let url = "\(apiURL)/bot\(botToken)/sendMessage"
        return try sendParts(Self.bodies(reply), from: reply.partsSent) { body in
            let answer = try http.postJSON(url: url, object: body, headers: [:])
            return ((answer["result"] as? [String: Any])?["message_id"]).map { "\($0)" }
        }
    }

    /// Registers `url` as the bot's webhook with our secret token (Telegram sends it back in
    /// X-Telegram-Bot-Api-Secret-Token), for the updates we read. Returns Telegram's description.
    public func setWebhook(url: String, secretToken: String) throws -> String {
        let body: [String: Any] = ["url": url, "secret_token": secretToken, "allowed_updates": ["message", "callback_query"]]
        let answer = try http.postJSON(url: "\(apiURL)/bot\(botToken)/setWebhook", object: body, headers: [:])
        guard answer["ok"] as? Bool == true else { throw ProviderHTTPError(status: 200, retryAfter: nil, detail: "\(answer["description"] ?? "not ok")") }
        return answer["description"] as? String ?? "ok"
    }

    static func bodies(_ reply: ChatReply) -> [[String: Any]] {
        let chat: Any = Int64(reply.to) ?? reply.to
        let pieces = TextSplitter.split(reply.text, limit: textLimit)
        return pieces.enumerated().map { index, text in
            var body: [String: Any] = ["chat_id": chat, "text": text]
            if index == pieces.count - 1, !reply.options.isEmpty, reply.options.count <= 12 {
                body["reply_markup"] = ["inline_keyboard": reply.options.map { [["text": "\($0.number). \($0.label)", "callback_data": String($0.number)]] }]
            }
            return body
        }
    }
}
