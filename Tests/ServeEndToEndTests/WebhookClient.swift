import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends webhook calls to `serve` as the providers do: raw JSON bodies, signed.
struct WebhookClient {
    let port: Int
    static let whatsAppSecret = "wa-app-secret"
    static let verifyToken = "wa-verify"
    static let telegramToken = "tg-secret"
    static let genericSecret = "generic-secret"

    static func sign(_ body: Data, _ secret: String) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    @discardableResult
    func post(_ path: String, body: Data, headers: [String: String]) async throws -> (status: Int, text: String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = "POST"
        request.httpBody = body
        request.timeoutInterval = 30
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    func get(_ pathAndQuery: String) async throws -> (status: Int, text: String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(pathAndQuery)")!)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    func whatsApp(_ json: [String: Any], signature: String? = nil) async throws -> (status: Int, text: String) {
        let body = try JSONSerialization.data(withJSONObject: json)
        return try await post("/webhooks/whatsapp", body: body, headers: ["X-Hub-Signature-256": signature ?? Self.sign(body, Self.whatsAppSecret)])
    }

    func telegram(_ json: [String: Any], token: String = WebhookClient.telegramToken) async throws -> (status: Int, text: String) {
        try await post("/webhooks/telegram", body: try JSONSerialization.data(withJSONObject: json), headers: ["X-Telegram-Bot-Api-Secret-Token": token])
    }

    func generic(_ json: [String: Any]) async throws -> (status: Int, text: String) {
        let body = try JSONSerialization.data(withJSONObject: json)
        return try await post("/webhooks/generic", body: body, headers: ["X-Intake-Signature": Self.sign(body, Self.genericSecret)])
    }

    /// A WhatsApp Cloud API webhook body, shaped like Meta's documented example.
    static func whatsAppText(id: String, from: String, text: String? = nil, buttonId: String? = nil) -> [String: Any] {
        var message: [String: Any] = ["from": from, "id": id, "timestamp": "1732440000"]
        if let buttonId {
            message["type"] = "interactive"
            message["interactive"] = ["type": "button_reply", "button_reply": ["id": buttonId, "title": "x"]]
        } else {
            message["type"] = "text"
            message["text"] = ["body": text ?? ""]
        }
        return [
            "object": "whatsapp_business_account",
            "entry": [[
                "id": "102290129340398",
                "changes": [[
                    "field": "messages",
                    "value": [
                        "messaging_product": "whatsapp",
                        "metadata": ["display_phone_number": "15550783881", "phone_number_id": "106540352242922"],
                        "contacts": [["profile": ["name": "Amina"], "wa_id": from]],
                        "messages": [message],
                    ] as [String: Any],
                ]],
            ] as [String: Any]],
        ]
    }

    /// A Telegram update: a text message, or a tap on an inline keyboard button (callback_query).
    static func telegramUpdate(id: Int, chat: Int, text: String? = nil, callbackData: String? = nil, language: String = "fr") -> [String: Any] {
        let user: [String: Any] = ["id": chat, "is_bot": false, "first_name": "Amina", "language_code": language]
        let message: [String: Any] = ["message_id": id, "from": user, "chat": ["id": chat, "type": "private"], "date": 1_732_440_000, "text": text ?? ""]
        if let callbackData {
            return ["update_id": id, "callback_query": ["id": "cb\(id)", "from": user, "message": message, "data": callbackData, "chat_instance": "1"]]
        }
        return ["update_id": id, "message": message]
    }
}
