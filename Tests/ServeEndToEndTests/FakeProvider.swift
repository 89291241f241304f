import Foundation
import HTTPTypes
import Hummingbird

/// A stand-in for the WhatsApp, Telegram and gateway APIs on 127.0.0.1: records every request it
/// gets, in order, and answers as told (for example 500, 500, then 429 with Retry-After, then 200).
final class FakeProvider: @unchecked Sendable {
    // @unchecked: `requests` and `plan` are only touched under `lock`.
    struct Received {
        let path: String
        let json: [String: Any]
        let at: Date
        let headers: [String: String]
        let body: Data
    }

    private let lock = NSLock()
    private var requests: [Received] = []
    private var plan: [(status: Int, retryAfter: String?)] = []
    private var hanging: (path: String, seconds: Double)?
    private var padding = 0
    /// Files the fake holds (media id or Telegram file id → bytes and type), served as the real APIs do.
    private var files: [String: (data: Data, type: String)] = [:]
    /// WhatsApp's 24-hour window is closed: free text is refused with 131047, templates pass.
    private var windowClosed = false
    private var task: Task<Void, Error>?
    private(set) var port = 0

    var received: [Received] { lock.withLock { requests } }

    /// The next answers to give, before going back to 200.
    func failNext(_ answers: [(status: Int, retryAfter: Int?)]) { lock.withLock { plan = answers.map { ($0.status, $0.retryAfter.map(String.init)) } } }

    /// The next answers with Retry-After exactly as given ("1e18", "inf", an HTTP-date…).
    func failNext(rawRetryAfter answers: [(status: Int, retryAfter: String?)]) { lock.withLock { plan = answers } }

    /// Answers carry `bytes` of filler after their JSON (a provider that says far too much).
    func pad(_ bytes: Int) { lock.withLock { padding = bytes } }

    /// Requests whose path contains `path` get no answer for `seconds` (a provider that hangs).
    func hang(_ path: String, seconds: Double) { lock.withLock { hanging = (path, seconds) } }

    /// Holds `data` as media `id` (WhatsApp) or file `id` (Telegram).
    func hold(_ id: String, _ data: Data, type: String) { lock.withLock { files[id] = (data, type) } }

    func closeWindow(_ closed: Bool) { lock.withLock { windowClosed = closed } }

    func start() async throws {
        let router = Router()
        // WhatsApp: GET /v21.0/MEDIA_ID → its URL; GET /media/MEDIA_ID → the bytes (both with the access token).
        // Telegram: GET /file/botTOKEN/PATH → the bytes.
        router.get("**") { [self] request, _ -> Response in
            let path = request.uri.path
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            lock.withLock { requests.append(Received(path: path, json: [:], at: Date(), headers: headers, body: Data())) }
            let id = String(path.split(separator: "/").last ?? "").replacingOccurrences(of: ".oga", with: "").replacingOccurrences(of: ".jpg", with: "")
            guard let file = lock.withLock({ files[id] }) else { return Response(status: .notFound) }
            if path.hasPrefix("/v21.0/") {
                guard headers["authorization"] == "Bearer wa-access-token" else { return Response(status: .unauthorized) }
                let json = "{\"url\":\"http://127.0.0.1:\(port)/media/\(id)\",\"mime_type\":\"\(file.type)\",\"file_size\":\(file.data.count),\"id\":\"\(id)\"}"
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
            }
            if path.hasPrefix("/media/"), headers["authorization"] != "Bearer wa-access-token" { return Response(status: .unauthorized) }
            return Response(status: .ok, headers: [.contentType: file.type], body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
        }
        router.post("**") { [self] request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let raw = Data(body.readableBytesView)
            let json = (try? JSONSerialization.jsonObject(with: raw)) as? [String: Any] ?? [:]
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let (answer, hang): ((status: Int, retryAfter: String?), Double?) = lock.withLock {
                requests.append(Received(path: request.uri.path, json: json, at: Date(), headers: headers, body: raw))
                let hang = hanging.flatMap { request.uri.path.contains($0.path) ? $0.seconds : nil }
                return (plan.isEmpty ? (200, nil) : plan.removeFirst(), hang)
            }
            if let hang { try? await Task.sleep(for: .seconds(hang)) }
            if request.uri.path.hasSuffix("/getFile"), let id = json["file_id"] as? String, let file = lock.withLock({ files[id] }) {
                let json = "{\"ok\":true,\"result\":{\"file_id\":\"\(id)\",\"file_size\":\(file.data.count),\"file_path\":\"files/\(id)\(file.type.hasPrefix("audio") ? ".oga" : ".jpg")\"}}"
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
            }
            if lock.withLock({ windowClosed }), request.uri.path.hasSuffix("/messages"), json["type"] as? String != "template" {
                let refusal = #"{"error":{"message":"(#131047) Re-engagement message","type":"OAuthException","code":131047,"error_data":{"messaging_product":"whatsapp","details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number."}}}"#
                return Response(status: .badRequest, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: refusal)))
            }
            var fields: HTTPFields = [.contentType: "application/json"]
            if let after = answer.retryAfter { fields[HTTPField.Name("Retry-After")!] = after }
            let count = lock.withLock { requests.count }
            let reply = "{\"ok\":true,\"result\":{\"message_id\":\(count)},\"messages\":[{\"id\":\"wamid.fake\(count)\"}]}"
                + String(repeating: " ", count: lock.withLock { padding })
            return Response(status: .init(code: answer.status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: reply)))
        }
        let ready = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in ready.continuation.yield(channel.localAddress?.port ?? 0) })
        task = Task { try await app.run() }
        for await port in ready.stream {
            self.port = port
            break
        }
    }

    func stop() {
        task?.cancel()
    }

    /// Waits until `count` requests have arrived.
    func waitFor(_ count: Int, timeout: TimeInterval = 60) async throws -> [Received] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let now = received
            if now.count >= count { return now }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure("fake provider got \(received.count) requests, expected \(count)")
    }
}
