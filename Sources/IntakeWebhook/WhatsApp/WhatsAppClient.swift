import Foundation
import IntakeCore

/// Sends replies through the WhatsApp Cloud API: POST {api}/{phone number id}/messages with a bearer token.
/// Up to 3 short options become reply buttons, up to 10 a list; otherwise the numbered text stands alone.
public struct WhatsAppClient: Sendable {
    public let apiURL: String
    public let phoneNumberId: String
    public let accessToken: String
    public let http: HTTPClient
    public static let textLimit = 4096

    public init(apiURL: String, phoneNumberId: String, accessToken: String, http: HTTPClient = HTTPClient()) {
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
        self.phoneNumberId = phoneNumberId
        self.accessToken = accessToken
        self.http = http
    }

    /// Sends the reply (in several messages if it is long); returns the last message's wamid.
    public func send(_ reply: ChatReply) throws -> String? {
        let url = "\(apiURL)/\(phoneNumberId)/messages"
        return try sendParts(Self.bodies(reply), from: reply.partsSent) { body in
            let answer = try http.postJSON(url: url, object: body, headers: ["Authorization": "Bearer \(accessToken)"])
            return (answer["messages"] as? [[String: Any]])?.first?["id"] as? String
        }
    }

    /// WhatsApp's answer when free text is sent outside the 24-hour window ("Re-engagement message").
    public static let windowClosedCode = 131047

    /// Sends a template message (outside the 24-hour window); returns its wamid.
    public func sendTemplate(to recipient: String, _ template: WhatsAppTemplates.Message) throws -> String? {
        let answer = try http.postJSON(url: "\(apiURL)/\(phoneNumberId)/messages", object: Self.templateBody(to: recipient, template), headers: ["Authorization": "Bearer \(accessToken)"])
        return (answer["messages"] as? [[String: Any]])?.first?["id"] as? String
    }

    static func templateBody(to recipient: String, _ template: WhatsAppTemplates.Message) -> [String: Any] {
        var body: [String: Any] = ["name": template.name, "language": ["code": template.language]]
        if !template.parameters.isEmpty {
            body["components"] = [["type": "body", "parameters": template.parameters.map { ["type": "text", "text": $0] }]]
        }
        return ["messaging_product": "whatsapp", "recipient_type": "individual", "to": recipient, "type": "template", "template": body]
    }

    static func bodies(_ reply: ChatReply) -> [[String: Any]] {
        let base: [String: Any] = ["messaging_product": "whatsapp", "recipient_type": "individual", "to": reply.to]
        let options = reply.options
        if !options.isEmpty, reply.text.count <= 1024 {
            if options.count <= 3, options.allSatisfy({ $0.label.count <= 20 }) {
                let buttons = options.map { ["type": "reply", "reply": ["id": String($0.number), "title": $0.label]] }
                return [base.merging(["type": "interactive", "interactive": ["type": "button", "body": ["text": reply.text], "action": ["buttons": buttons]]]) { $1 }]
            }
            if options.count <= 10, options.allSatisfy({ $0.label.count <= 24 }), reply.listButton.count <= 20 {
                let rows = options.map { ["id": String($0.number), "title": $0.label] }
                let action: [String: Any] = ["button": reply.listButton, "sections": [["rows": rows]]]
                return [base.merging(["type": "interactive", "interactive": ["type": "list", "body": ["text": reply.text], "action": action]]) { $1 }]
            }
        }
        return TextSplitter.split(reply.text, limit: textLimit).map { base.merging(["type": "text", "text": ["preview_url": false, "body": $0]]) { $1 } }
    }
}
