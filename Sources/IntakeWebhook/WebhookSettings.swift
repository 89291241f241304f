/// What the HTTP side needs to know: where to listen, each provider's secrets (nil: that route is off), limits.
public struct WebhookSettings: Sendable {
    public var host: String
    public var port: Int
    public var bodyLimit: Int
    public var whatsAppVerifyToken: String?
    public var whatsAppAppSecret: String?
    public var telegramSecretToken: String?
    public var genericSecret: String?
    /// Connections open at most; seconds a connection may stay idle, and a request may take to arrive whole.
    public var maxConnections: Int
    public var idleTimeout: Int
    public var requestTimeout: Int

    public init(
        host: String, port: Int, bodyLimit: Int, whatsAppVerifyToken: String?, whatsAppAppSecret: String?, telegramSecretToken: String?,
        genericSecret: String?, maxConnections: Int = 1024, idleTimeout: Int = 30, requestTimeout: Int = 10
    ) {
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.host = host
        self.port = port
        self.bodyLimit = bodyLimit
        self.whatsAppVerifyToken = whatsAppVerifyToken
        self.whatsAppAppSecret = whatsAppAppSecret
        self.telegramSecretToken = telegramSecretToken
        self.genericSecret = genericSecret
    }
}
