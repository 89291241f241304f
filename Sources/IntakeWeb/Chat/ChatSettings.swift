/// Limits of the web chat. Per visitor and per IP address (the socket's peer: behind a proxy, the proxy's).
public struct ChatSettings: Sendable {
    /// Messages a visitor may send per minute; from one address (all its visitors together).
    public var messagesPerVisitorPerMinute: Int
    public var messagesPerAddressPerMinute: Int
    /// New visitors (cookies issued) per address per minute.
    public var visitorsPerAddressPerMinute: Int
    /// Longest message, in characters; largest request body, in bytes.
    public var textLimit: Int
    public var bodyLimit: Int
    /// How long a poll for replies is held open when there is nothing new.
    public var pollSeconds: Double
    /// Polls held open at once per visitor and per address (each holds a connection).
    public var pollsPerVisitor: Int
    public var pollsPerAddress: Int
    /// Reverse proxies in front of `serve` (their IP addresses): behind one, a visitor's address is the last
    /// address in X-Forwarded-For that is not one of them, so per-address limits apply per visitor, not per proxy.
    public var trustedProxies: Set<String> = []

    public init(
        messagesPerVisitorPerMinute: Int = 30, messagesPerAddressPerMinute: Int = 120, visitorsPerAddressPerMinute: Int = 60, textLimit: Int = 4000,
        bodyLimit: Int = 32 * 1024, pollSeconds: Double = 20, pollsPerVisitor: Int = 3, pollsPerAddress: Int = 100
    ) {
        self.pollsPerVisitor = pollsPerVisitor
        self.pollsPerAddress = pollsPerAddress
        self.messagesPerVisitorPerMinute = messagesPerVisitorPerMinute
        self.messagesPerAddressPerMinute = messagesPerAddressPerMinute
        self.visitorsPerAddressPerMinute = visitorsPerAddressPerMinute
        self.textLimit = textLimit
        self.bodyLimit = bodyLimit
        self.pollSeconds = pollSeconds
    }
}
