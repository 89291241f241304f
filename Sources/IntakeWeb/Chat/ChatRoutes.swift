import Foundation
import HTTPTypes
#if canImport(Glibc)
    import Glibc
#endif
import Hummingbird
import IntakeCore
import IntakeMetrics
import IntakeStore
import IntakeWebhook
import NIOCore

/// The web chat on `serve`'s HTTP server: the page (`/chat`), its script and style, the embeddable
/// `/chat/widget.js`, and the JSON API the page uses: `POST /chat/messages` (a message, committed before
/// the 200) and `GET /chat/messages?after=ID` (the history, or a long poll for replies after ID).
/// Same pipeline, engine, limits and outbox as every channel; the visitor is an HttpOnly, SameSite=Strict
/// cookie, and a POST must be JSON from our own origin (CSRF).
public struct ChatRoutes: Sendable {
    let database: IntakeDatabase
    let catalog: Catalog
    let templates: WebTemplates
    let settings: ChatSettings
    let submit: @Sendable ([InboundMessage]) async -> [Result<InboundOutcome, Error>]
    let visitorLimit: RateLimiter
    let addressLimit: RateLimiter
    let newVisitorLimit: RateLimiter
    let pollLimit: RateLimiter
    let polls = ConcurrencyGate()
    /// Signs visitor cookies (AppSecret "chat_cookie").
    let cookieKey: Data
    /// Inbound counts by result, as the other channels keep them; nil: none kept.
    public var metrics: Metrics?

    public init(
        database: IntakeDatabase, catalog: Catalog, templates: WebTemplates, settings: ChatSettings = ChatSettings(), cookieKey: Data,
        submit: @escaping @Sendable ([InboundMessage]) async -> [Result<InboundOutcome, Error>]
    ) {
        self.cookieKey = cookieKey
        self.database = database
        self.catalog = catalog
        self.templates = templates
        self.settings = settings
        self.submit = submit
        // A burst covers someone tapping through choices; the rate, a minute of steady typing.
        visitorLimit = RateLimiter(perMinute: settings.messagesPerVisitorPerMinute, burst: max(10, settings.messagesPerVisitorPerMinute))
        addressLimit = RateLimiter(perMinute: settings.messagesPerAddressPerMinute)
        newVisitorLimit = RateLimiter(perMinute: settings.visitorsPerAddressPerMinute)
        // A page polls about 3 times a minute; reconnections after errors add a few (per address: many visitors behind one NAT).
        pollLimit = RateLimiter(perMinute: 600, burst: 60)
    }

    public func register(on router: Router<IntakeRequestContext>) {
        router.get("/chat") { request, context in page(request, context) }
        router.get("/chat/chat.js") { _, _ in asset("chat.js", type: "text/javascript; charset=utf-8") }
        router.get("/chat/chat.css") { _, _ in asset("chat.css", type: "text/css; charset=utf-8") }
        router.get("/chat/widget.js") { _, _ in asset("widget.js", type: "text/javascript; charset=utf-8") }
        router.post("/chat/messages") { request, context in await receive(request, context) }
        router.get("/chat/messages") { request, context in await poll(request, context) }
    }

    // MARK: - The page

    private func page(_ request: Request, _ context: IntakeRequestContext) -> Response {
        let language = templates.language(of: request, catalog: catalog)
        var pages = DashboardPages(catalog: catalog, templates: templates, language: language).layout(path: "/chat")
        pages["embed"] = request.uri.queryParameters.get("embed") == "1"
        // No cookie here: a SameSite=Strict cookie is not sent when the page is reached from another site (the
        // widget's link, a mail), and setting one would replace the visitor's. The page's own requests carry it,
        // and the first of them makes a visitor when there is none (`session`).
        return html(.ok, templates.render("chat", pages))
    }

    /// The request's visitor, or a new one (paced per address) when it carries none we issued; nil and the wait
    /// in seconds when too many new visitors come from its address.
    private func session(_ request: Request, _ context: IntakeRequestContext) -> (visitor: ChatVisitor, new: Bool)? {
        if let visitor = visitor(request) { return (visitor, false) }
        if newVisitorLimit.take(address(request, context)) != nil { return nil }
        return (ChatVisitor.mint(), true)
    }

    /// The visitor's cookie on `response`: HttpOnly, SameSite=Strict, for /chat, 400 days.
    private func issue(_ visitor: ChatVisitor, on response: inout Response, _ request: Request, _ context: IntakeRequestContext) {
        let secure = settings.trustedProxies.contains(Self.plain(context.peer)) && request.headers[HTTPField.Name("X-Forwarded-Proto")!] == "https"
        response.setCookie(
            Cookie(
                name: ChatVisitor.cookieName, value: visitor.cookie(key: cookieKey), maxAge: 400 * 86_400, path: "/chat", secure: secure, httpOnly: true,
                sameSite: .strict))
    }

    private func asset(_ name: String, type: String) -> Response {
        guard let text = templates.assets[name] else { return failure(.notFound, "not_found") }
        return Response(
            status: .ok,
            headers: [.contentType: type, .cacheControl: "public, max-age=300", HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    // MARK: - The API

    struct Posted: Decodable {
        let id: String
        let text: String
        let lang: String?
    }

    private func receive(_ request: Request, _ context: IntakeRequestContext) async -> Response {
        guard let (visitor, new) = session(request, context) else { return failure(.tooManyRequests, "rate_limited", retryAfter: 30) }
        var response = await accept(request, context, from: visitor)
        if new, response.status == .ok { issue(visitor, on: &response, request, context) }
        return response
    }

    private func accept(_ request: Request, _ context: IntakeRequestContext, from visitor: ChatVisitor) async -> Response {
        // CSRF: the cookie is SameSite=Strict; a cross-site form cannot send JSON, and a cross-site script would
        // name its own origin (and get no CORS permission).
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true, sameOrigin(request, context) else {
            return failure(.forbidden, "forbidden")
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > settings.bodyLimit { return failure(.contentTooLarge, "too_large") }
        if let wait = addressLimit.take(address(request, context)) ?? visitorLimit.take(visitor.address) {
            return failure(.tooManyRequests, "rate_limited", retryAfter: wait)
        }
        let body: Data
        do {
            body = Data(try await request.body.collect(upTo: settings.bodyLimit).readableBytesView)
        } catch {
            return failure(.contentTooLarge, "too_large")
        }
        guard let posted = try? JSONDecoder().decode(Posted.self, from: body), Self.isClientId(posted.id) else { return failure(.badRequest, "bad_request") }
        let text = posted.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return failure(.badRequest, "empty") }
        guard text.count <= settings.textLimit, text.unicodeScalars.count <= settings.textLimit * 4 else { return failure(.contentTooLarge, "too_large") }
        var message = InboundMessage(
            channel: WebChatInbox.channel, externalId: "\(visitor.address):\(posted.id)", sender: visitor.address, text: text, receivedAt: Date(),
            language: posted.lang.flatMap { catalog.languages[$0] != nil ? $0 : nil }, rawSize: body.count)
        message.guessLanguage(catalog: catalog)
        guard let result = await submit([message]).first, case .success(let outcome) = result else {
            metrics?.count("gcr_intake_inbound_total", ["channel": WebChatInbox.channel.rawValue, "result": "error"])
            return failure(.serviceUnavailable, "unavailable", retryAfter: 2)
        }
        switch outcome {
        case .duplicate:
            metrics?.count("gcr_intake_inbound_total", ["channel": WebChatInbox.channel.rawValue, "result": "duplicate"])
            return json(.ok, ["status": "duplicate"])
        case .processed: metrics?.count("gcr_intake_inbound_total", ["channel": WebChatInbox.channel.rawValue, "result": "processed"])
        case .recorded(_, let result, _): metrics?.count("gcr_intake_inbound_total", ["channel": WebChatInbox.channel.rawValue, "result": result.rawValue])
        }
        return json(.ok, ["status": "ok"])
    }

    private func poll(_ request: Request, _ context: IntakeRequestContext) async -> Response {
        let peer = address(request, context)
        let asked = request.uri.queryParameters.get("after") ?? "0"
        // The page's first request (the history) makes the visitor when there is none; a later poll without one
        // lost it (cookies cleared): 401, and the page starts again.
        guard let visitor = visitor(request) else {
            guard asked == "0" else { return failure(.unauthorized, "no_session") }
            guard let (visitor, _) = session(request, context) else { return failure(.tooManyRequests, "rate_limited", retryAfter: 30) }
            var response = json(.ok, ["cursor": 0, "messages": [Any]()])
            issue(visitor, on: &response, request, context)
            return response
        }
        if let wait = pollLimit.take(peer) { return failure(.tooManyRequests, "rate_limited", retryAfter: wait) }
        guard let after = Int64(asked), after >= 0 else { return failure(.badRequest, "bad_request") }
        let address = visitor.address
        // Each poll holds a connection: a few per visitor, a bounded number per address, the rest refused at once.
        guard polls.enter(address, limit: settings.pollsPerVisitor) else { return failure(.tooManyRequests, "too_many_polls", retryAfter: 1) }
        defer { polls.leave(address) }
        guard polls.enter(peer, limit: settings.pollsPerAddress) else { return failure(.tooManyRequests, "too_many_polls", retryAfter: 5) }
        defer { polls.leave(peer) }
        do {
            if after == 0 {
                let (items, cursor) = try await database.read { db in try WebChatInbox.history(address: address, db: db) }
                try await purge(items)
                return json(.ok, ["cursor": cursor, "messages": items.map(Self.encode)])
            }
            let deadline = Date().addingTimeInterval(settings.pollSeconds)
            while true {
                let rings = database.outboxBell.rings
                let items = try await database.read { db in try WebChatInbox.replies(after: after, address: address, db: db) }
                let left = deadline.timeIntervalSinceNow
                if !items.isEmpty || left <= 0 || Task.isCancelled {
                    try await purge(items)
                    return json(.ok, ["cursor": items.last?.id ?? after, "messages": items.map(Self.encode)])
                }
                await database.outboxBell.wait(seconds: min(left, 5), after: rings)
            }
        } catch {
            return failure(.serviceUnavailable, "unavailable", retryAfter: 2)
        }
    }

    private func purge(_ items: [WebChatInbox.Item]) async throws {
        try await database.purgeReadReplies(items)
    }

    // MARK: - Helpers

    /// Who a request comes from, for per-address limits: the socket's peer, or behind a trusted proxy the last
    /// address of X-Forwarded-For that is not a trusted proxy (what a visitor writes there before it is ignored).
    func address(_ request: Request, _ context: IntakeRequestContext) -> String {
        let peer = Self.plain(context.peer)
        guard settings.trustedProxies.contains(peer), let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!] else { return peer }
        // "203.0.113.7:5678" and "[2001:db8::1]:5678" are an address and a port.
        let hops = forwarded.split(separator: ",").map { hop -> String in
            let text = hop.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("["), let end = text.firstIndex(of: "]") { return String(text[text.index(after: text.startIndex)..<end]) }
            if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") { return String(text[..<colon]) }
            return Self.plain(text)
        }
        for hop in hops.reversed() where !settings.trustedProxies.contains(hop) {
            return Self.isIPAddress(hop) ? hop : peer
        }
        return peer
    }

    /// An IPv4 or IPv6 address as text (nothing else is taken from a header).
    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return text.count <= 45 && (inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1)
    }

    /// The visitor of a request's cookie, when we issued it.
    private func visitor(_ request: Request) -> ChatVisitor? {
        ChatVisitor(cookie: request.cookies[ChatVisitor.cookieName]?.value, key: cookieKey)
    }

    /// A client message id: 1 to 64 letters, digits, '-' or '_'.
    static func isClientId(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 64 && id.utf8.allSatisfy { $0 < 0x80 && (Character(UnicodeScalar($0)).isLetter || Character(UnicodeScalar($0)).isNumber || $0 == 0x2D || $0 == 0x5F) }
    }

    /// No Origin (same-origin navigation, older browsers) or one naming the host the request was sent to
    /// (behind a trusted proxy, the host it was sent to there: X-Forwarded-Host).
    private func sameOrigin(_ request: Request, _ context: IntakeRequestContext) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        var hosts = [request.head.authority].compactMap { $0 }
        if settings.trustedProxies.contains(Self.plain(context.peer)), let forwarded = request.headers[HTTPField.Name("X-Forwarded-Host")!] {
            hosts += forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        return hosts.contains { origin == "http://\($0)" || origin == "https://\($0)" }
    }

    /// An IPv4 address as a dual-stack socket gives it ("::ffff:10.0.0.1") in its plain form.
    static func plain(_ address: String) -> String {
        address.hasPrefix("::ffff:") && address.contains(".") ? String(address.dropFirst("::ffff:".count)) : address
    }

    static func encode(_ item: WebChatInbox.Item) -> [String: Any] {
        var out: [String: Any] = ["id": item.id, "from": item.side.rawValue, "text": item.text, "at": ISO8601DateFormatter().string(from: item.at)]
        if item.side == .bot, let options = try? JSONDecoder().decode([Reply.Option].self, from: Data(item.options.utf8)), !options.isEmpty {
            out["options"] = options.map { ["number": $0.number, "label": $0.label] as [String: Any] }
        }
        return out
    }

    private func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store", HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func failure(_ status: HTTPResponse.Status, _ code: String, retryAfter: Int? = nil) -> Response {
        var response = json(status, ["error": code])
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    private func html(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy:
                    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors *",
                HTTPField.Name("X-Content-Type-Options")!: "nosniff", .cacheControl: "no-store", HTTPField.Name("Referrer-Policy")!: "no-referrer",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
