import Foundation
import Logging
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// Hands memory freed after a burst (request bodies of a flood, a large batch) back to the system.
/// glibc keeps freed heap for reuse, so without this the resident size stays at its peak for good.
public struct MemoryTrimService: Service {
    let interval: Duration

    public init(interval: Duration = .seconds(5)) {
        self.interval = interval
    }

    /// glibc's `malloc_trim`, which Swift's Glibc module does not export; nil on other C libraries.
    private static let trim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
            return nil
        #endif
    }()

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            _ = Self.trim?(0)
            _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
