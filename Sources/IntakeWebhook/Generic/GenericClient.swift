import Foundation

/// Sends replies to the generic hook's gateway: POST {"to","text","in_reply_to","id"} signed like inbound calls.
public struct GenericClient: Sendable {
    public let replyURL: String
    public let secret: String
    public let http: HTTPClient

    public init(replyURL: String, secret: String, http: HTTPClient = HTTPClient()) {
        self.replyURL = replyURL
        self.secret = secret
        self.http = http
    }

    public func send(_ reply: ChatReply) throws -> String? {
        var object: [String: Any] = ["to": reply.to, "text": reply.text, "id": reply.id]
        object["in_reply_to"] = reply.inReplyTo ?? NSNull()
        let body = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        _ = try http.postExpectingSuccess(url: replyURL, json: body, headers: ["X-Intake-Signature": Signature.sign(body, secret: secret)])
        return reply.id
    }
}
