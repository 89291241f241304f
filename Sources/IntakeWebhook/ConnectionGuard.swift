import NIOConcurrencyHelpers
import NIOCore
import NIOHTTPTypes

/// Limits every client of the HTTP listener, authenticated or not: at most `maxConnections` open at
/// once (the next is closed at once, so /healthz keeps answering under a flood of idle sockets), and
/// each request must arrive whole within `requestTimeout` from its head (a body trickled byte by byte
/// is cut off, and its buffered part released). Idle connections are closed by Hummingbird's idle timeout.
public final class ConnectionLimits: Sendable {
    public let maxConnections: Int
    public let requestTimeout: TimeAmount
    private let open = NIOLockedValueBox(0)

    public init(maxConnections: Int, requestTimeoutSeconds: Int) {
        self.maxConnections = maxConnections
        self.requestTimeout = .seconds(Int64(requestTimeoutSeconds))
    }

    /// Connections open now.
    public var current: Int { open.withLockedValue { $0 } }

    func admit() -> Bool {
        open.withLockedValue { count in
            guard count < maxConnections else { return false }
            count += 1
            return true
        }
    }

    func release() { open.withLockedValue { $0 -= 1 } }

    /// The handler for one new connection.
    func handler() -> ConnectionGuard { ConnectionGuard(limits: self) }
}

final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: ConnectionLimits
    private var admitted = false
    private var refused = false
    private var deadline: Scheduled<Void>?

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { admit(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        admit(context)
        context.fireChannelActive()
    }

    private func admit(_ context: ChannelHandlerContext) {
        guard !admitted, !refused else { return }
        if limits.admit() {
            admitted = true
        } else {
            refused = true
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            let channel = context.channel
            deadline = context.eventLoop.scheduleTask(in: limits.requestTimeout) { channel.close(promise: nil) }
        case .body: break
        case .end:
            deadline?.cancel()
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish()
    }

    private func finish() {
        deadline?.cancel()
        deadline = nil
        if admitted {
            admitted = false
            limits.release()
        }
    }
}
