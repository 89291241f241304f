import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Limits every client of the HTTP listener, authenticated or not: at most `maxConnections` open at
/// once (the next is closed at once, so a flood of idle sockets cannot exhaust the process's files;
/// /healthz answers again as soon as the idle timeout has closed them), and
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
        // The HTTP/1.0 rule needs the request's version, which only the handlers before the codec see.
        if let codec = try? context.pipeline.syncOperations.handler(type: HTTP1ToHTTPServerCodec.self) {
            try? context.pipeline.syncOperations.addHandler(HTTP10Closer(), position: .before(codec))
        }
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

/// Answers an HTTP/1.0 request without keep-alive as HTTP/1.0 says: in a 1.0 response with
/// `Connection: close`, then closes the connection (Hummingbird's codec would keep it open as 1.1).
/// It sits before the HTTP-types codec, where the request's version is still known.
final class HTTP10Closer: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var closeAfterResponse = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            closeAfterResponse = head.version.major == 1 && head.version.minor == 0 && !head.isKeepAlive
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard closeAfterResponse else { return context.write(data, promise: promise) }
        switch unwrapOutboundIn(data) {
        case .head(var head):
            head.version = .http1_0
            head.headers.replaceOrAdd(name: "Connection", value: "close")
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.cascade(to: promise)
            context.writeAndFlush(data, promise: written)
            written.futureResult.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
        }
    }
}
