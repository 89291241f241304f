import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import NIOCore
import IntakeCore
import IntakeMetrics
import IntakeStore
import Logging

/// The HTTP side of `serve`: health, metrics and the three webhooks. A webhook answers 200 only once
/// what it carried is committed (through the group-committing `BatchWriter`), so a provider retries
/// anything that was not.
public struct WebhookServer: Sendable {
    let settings: WebhookSettings
    let writer: BatchWriter
    let catalog: Catalog
    let database: IntakeDatabase
    let metrics: Metrics
    let logger: Logger
    /// More routes on the same server (the dashboard).
    public var routes: [@Sendable (Router<IntakeRequestContext>) -> Void] = []
    /// Fetches chat media (voice notes, photos, files) before the message is committed; nil: media are not kept.
    public var mediaFetcher: MediaFetcher?
    /// Pages to name in the log once the server listens (path → what it is), e.g. the web chat.
    public var announced: [(path: String, what: String)] = []

    public init(settings: WebhookSettings, writer: BatchWriter, catalog: Catalog, database: IntakeDatabase, metrics: Metrics, logger: Logger) {
        self.settings = settings
        self.writer = writer
        self.catalog = catalog
        self.database = database
        self.metrics = metrics
        self.logger = logger
    }

    /// The Hummingbird application, to run as a service. Its log line "HTTP listening on HOST:PORT" gives the real port.
    public func application() -> some ApplicationProtocol {
        let router = Router(context: IntakeRequestContext.self)
        router.get("/healthz") { _, _ in await health() }
        for add in routes { add(router) }
        router.get("/metrics") { _, _ in await metricsText() }
        router.get("/webhooks/whatsapp") { request, _ in try verifyChallenge(request) }
        router.post("/webhooks/whatsapp") { request, _ in
            try await receive(
                request, provider: .whatsapp, secret: settings.whatsAppAppSecret, signatureHeader: Self.whatsAppSignature, wellFormed: Signature.isWellFormed
            ) { body, header, secret in
                Signature.verify(body, header: header, secret: secret)
            }
        }
        router.post("/webhooks/telegram") { request, _ in
            // Telegram's secret is a header of its own: checked before a byte of the body is read.
            try await receive(request, provider: .telegram, secret: settings.telegramSecretToken, signatureHeader: Self.telegramToken, checkBeforeBody: true) {
                _, header, secret in Signature.tokenMatches(header, secret)
            }
        }
        router.post("/webhooks/generic") { request, _ in
            try await receive(
                request, provider: .generic, secret: settings.genericSecret, signatureHeader: Self.genericSignature, wellFormed: Signature.isWellFormed
            ) { body, header, secret in
                Signature.verify(body, header: header, secret: secret)
            }
        }
        let logger = self.logger
        let announced = self.announced
        let limits = ConnectionLimits(maxConnections: settings.maxConnections, requestTimeoutSeconds: settings.requestTimeout)
        return Application(
            router: router,
            server: .http1(
                configuration: .init(additionalChannelHandlers: [limits.handler()], idleTimeout: .seconds(Int64(settings.idleTimeout)))),
            configuration: ApplicationConfiguration(address: .hostname(settings.host, port: settings.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? settings.port
                logger.info("HTTP listening on \(settings.host):\(port)")
                let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
                for page in announced { logger.info("\(page.what): open http://\(host):\(port)\(page.path) in a browser") }
            }, logger: logger)
    }

    static let whatsAppSignature = HTTPField.Name("X-Hub-Signature-256")!
    static let telegramToken = HTTPField.Name("X-Telegram-Bot-Api-Secret-Token")!
    static let genericSignature = HTTPField.Name("X-Intake-Signature")!

    private func health() async -> Response {
        guard await database.isReachable() else {
            return text(.serviceUnavailable, "{\"status\":\"unavailable\",\"database\":\"error\"}\n", type: "application/json")
        }
        return text(.ok, "{\"status\":\"ok\",\"database\":\"ok\"}\n", type: "application/json")
    }

    private func metricsText() async -> Response {
        // The backlog from the counter the triggers keep; the failed rows counted.
        let gauges = try? await database.outboxGauges()
        let backlog = gauges?.backlog ?? -1
        let failed = gauges?.failed ?? -1
        metrics.gauge("gcr_intake_outbox_backlog", [:], backlog)
        metrics.gauge("gcr_intake_outbox_failed", [:], failed)
        return text(.ok, metrics.render(), type: "text/plain; version=0.0.4")
    }

    /// WhatsApp's subscription check: echo hub.challenge when hub.verify_token is ours.
    private func verifyChallenge(_ request: Request) throws -> Response {
        let query = request.uri.queryParameters
        guard let expected = settings.whatsAppVerifyToken else { throw reject(.whatsapp, WebhookRejection(status: 404, reason: "WhatsApp is not configured")) }
        guard query.get("hub.mode") == "subscribe", Signature.tokenMatches(query.get("hub.verify_token"), expected),
            let challenge = query.get("hub.challenge")
        else { throw reject(.whatsapp, WebhookRejection(status: 403, reason: "verify token does not match")) }
        return text(.ok, challenge)
    }

    private func receive(
        _ request: Request, provider: ProviderPayload, secret: String?, signatureHeader: HTTPField.Name, checkBeforeBody: Bool = false,
        wellFormed: (String) -> Bool = { _ in true }, verify: (Data, String?, String) -> Bool
    ) async throws -> Response {
        let channel = provider.channel
        let started = Date()
        defer { metrics.observeRequest(seconds: Date().timeIntervalSince(started)) }
        guard let secret else { throw reject(channel, WebhookRejection(status: 404, reason: "\(channel.rawValue) is not configured")) }
        let signature = request.headers[signatureHeader]
        // Refused before the body is read: no signature at all, a body announced over the limit, a wrong token.
        guard let signature, !signature.isEmpty, wellFormed(signature) else { throw reject(channel, .unauthorized("missing or malformed signature")) }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > settings.bodyLimit {
            throw reject(channel, WebhookRejection(status: 413, reason: "body over \(settings.bodyLimit) bytes"))
        }
        if checkBeforeBody, !verify(Data(), signature, secret) { throw reject(channel, .unauthorized("bad secret token")) }
        let body: Data
        do {
            body = Data(try await request.body.collect(upTo: settings.bodyLimit).readableBytesView)
        } catch {
            throw reject(channel, WebhookRejection(status: 413, reason: "body over \(settings.bodyLimit) bytes"))
        }
        let decodeStarted = DispatchTime.now().uptimeNanoseconds
        if !checkBeforeBody, !verify(body, signature, secret) { throw reject(channel, .unauthorized("bad signature")) }
        let batch: WebhookBatch
        do {
            batch = try provider.parse(body)
        } catch let rejection as WebhookRejection {
            throw reject(channel, rejection)
        } catch {
            throw reject(channel, .badRequest("unreadable payload"))
        }
        metrics.observe(.decode, channel: channel.rawValue, nanoseconds: DispatchTime.now().uptimeNanoseconds &- decodeStarted)
        if batch.refused > 0 {
            metrics.count("gcr_intake_webhook_messages_refused_total", ["channel": channel.rawValue])
            logger.warning("webhook messages left out (bad id, sender or text)", metadata: ["channel": "\(channel.rawValue)", "count": "\(batch.refused)"])
        }
        if !batch.statuses.isEmpty || !batch.failures.isEmpty {
            // Accepted, then refused because the 24-hour window had closed: sent again, once, as its template
            // (its status stays "window_closed", which both guards the once and tells the transport).
            let closed = Set(batch.failures.filter { provider == .whatsapp && $0.code == WhatsAppClient.windowClosedCode }.map(\.id))
            try? await database.recordDeliveryReports(channel: channel, statuses: batch.statuses, windowClosed: closed, at: Date())
        }
        let now = Date()
        let media = await fetchMedia(batch.messages)
        let messages = batch.messages.enumerated().map { index, chat in
            var message = InboundMessage(
                channel: chat.channel, externalId: chat.id, sender: chat.from, displayName: chat.name, text: chat.text, receivedAt: now,
                language: chat.language.flatMap { catalog.languages[$0] != nil ? $0 : nil }, rawSize: body.count)
            message.unreadMedia = chat.unreadMedia
            if let fetched = media[index] {
                message.media = fetched.media
                message.attachments = fetched.file.map { [$0] } ?? []
            }
            message.guessLanguage(catalog: catalog)  // here, on the event loop, not in the writer
            return message
        }
        var failed = false
        for result in await writer.submit(messages) {
            switch result {
            case .success(.duplicate): metrics.count("gcr_intake_inbound_total", ["channel": channel.rawValue, "result": "duplicate"])
            case .success(.processed): metrics.count("gcr_intake_inbound_total", ["channel": channel.rawValue, "result": "processed"])
            case .success(.recorded(_, let outcome, _)): metrics.count("gcr_intake_inbound_total", ["channel": channel.rawValue, "result": outcome.rawValue])
            case .failure(let error):
                failed = true
                metrics.count("gcr_intake_inbound_total", ["channel": channel.rawValue, "result": "error"])
                logger.error("webhook message not stored", metadata: ["channel": "\(channel.rawValue)", "error": "\(error)"])
            }
        }
        // Not stored: a 500 makes the provider deliver it again.
        if failed { return text(.internalServerError, "not stored, retry\n") }
        // Telegram runs a Bot API method given in the webhook's answer: the tapped button stops spinning, at no extra request.
        if let query = batch.callbackQueryId, provider == .telegram,
            let answer = try? JSONSerialization.data(withJSONObject: ["method": "answerCallbackQuery", "callback_query_id": query])
        {
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer)))
        }
        return text(.ok, "ok\n")
    }

    /// The files of the messages that carry one, fetched from the provider off the event loop (by index).
    private func fetchMedia(_ chats: [IncomingChat]) async -> [Int: (file: InboundAttachment?, media: InboundMedia)] {
        var fetched: [Int: (file: InboundAttachment?, media: InboundMedia)] = [:]
        for (index, chat) in chats.enumerated() {
            guard let reference = chat.media else { continue }
            // A redelivery is a duplicate: the pipeline will say so; nothing to download.
            if (try? await database.wasReceived(channel: chat.channel, externalId: chat.id)) == true { continue }
            guard let fetcher = mediaFetcher else {
                fetched[index] = (nil, InboundMedia(kind: reference.kind, durationSeconds: reference.durationSeconds, problem: .unavailable))
                continue
            }
            let started = DispatchTime.now().uptimeNanoseconds
            fetched[index] = (try? await Blocking.run { fetcher.fetch(reference) })
                ?? (nil, InboundMedia(kind: reference.kind, problem: .unavailable))
            metrics.observe(.decode, channel: chat.channel.rawValue, nanoseconds: DispatchTime.now().uptimeNanoseconds &- started)
            if let problem = fetched[index]?.media.problem {
                logger.warning("chat media not kept", metadata: ["channel": "\(chat.channel.rawValue)", "kind": "\(reference.kind.rawValue)", "problem": "\(problem)"])
            }
        }
        return fetched
    }

    /// Counts and logs a refusal; the error thrown answers it (Hummingbird writes `{"error":{"message":…}}`).
    private func reject(_ channel: Channel, _ rejection: WebhookRejection) -> HTTPError {
        metrics.count("gcr_intake_webhook_rejected_total", ["channel": channel.rawValue, "status": String(rejection.status)])
        logger.warning("webhook refused", metadata: ["channel": "\(channel.rawValue)", "status": "\(rejection.status)", "reason": "\(rejection.reason)"])
        // The caller learns the kind of refusal, not how we read its body (the log has the detail).
        let kinds = [400: "bad request", 401: "unauthorized", 403: "forbidden", 404: "not found", 413: "body too large"]
        return HTTPError(HTTPResponse.Status(code: rejection.status), message: kinds[rejection.status] ?? "refused")
    }

    private func text(_ status: HTTPResponse.Status, _ body: String, type: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
