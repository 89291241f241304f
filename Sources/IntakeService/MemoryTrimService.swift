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

    /// glibc's `mallopt`, likewise looked up at run time.
    private static let mallopt: (@convention(c) (Int32, Int32) -> Int32)? = {
        #if canImport(Glibc)
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        #else
            return nil
        #endif
    }()

    /// glibc gives each thread that allocates under contention an arena of its own (up to 8 per core),
    /// and each keeps its freed memory. Our threads (NIO, the cooperative pool, SQLite's queues) pass
    /// buffers to one another, so a few shared arenas hold less at the peak. Call before the threads start.
    public static func limitArenas(to count: Int32 = 2) {
        let arenaMax: Int32 = -8  // M_ARENA_MAX in <malloc.h>
        _ = mallopt?(arenaMax, count)
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            _ = Self.trim?(0)
            _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
