import Hummingbird
import NIOCore

/// The request context of `serve`'s HTTP server: Hummingbird's basics plus the peer's address, which the
/// web chat's per-address rate limit needs.
public struct IntakeRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The peer's IP address as text ("unknown" for a socket without one).
    public var peer: String { remoteAddress?.ipAddress ?? "unknown" }
}
