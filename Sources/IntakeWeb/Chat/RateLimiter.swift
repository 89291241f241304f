import Foundation
import NIOConcurrencyHelpers

/// Token buckets by key (a visitor, an IP address): `capacity` requests at once, refilled at
/// `perMinute`. Memory is bounded: past `maxKeys` the fullest buckets (idle keys) are dropped.
public final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    public let capacity: Double
    public let perMinute: Double
    let maxKeys: Int
    private let buckets = NIOLockedValueBox<[String: Bucket]>([:])

    public init(perMinute: Int, burst: Int? = nil, maxKeys: Int = 100_000) {
        self.perMinute = Double(max(1, perMinute))
        self.capacity = Double(max(1, burst ?? perMinute))
        self.maxKeys = maxKeys
    }

    /// Keys remembered now (bounded by `maxKeys`).
    var trackedKeys: Int { buckets.withLockedValue { $0.count } }

    /// Takes a token for `key`; nil when allowed, else the seconds until one is free.
    public func take(_ key: String, now: Date = Date()) -> Int? {
        buckets.withLockedValue { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = max(0, now.timeIntervalSince(bucket.updated))
            bucket.tokens = min(capacity, bucket.tokens + elapsed * perMinute / 60)
            bucket.updated = now
            defer {
                buckets[key] = bucket
                if buckets.count > maxKeys { Self.forgetIdle(&buckets, now: now, refill: perMinute / 60, capacity: capacity, keep: maxKeys / 2) }
            }
            guard bucket.tokens >= 1 else { return Int(((1 - bucket.tokens) * 60 / perMinute).rounded(.up)) }
            bucket.tokens -= 1
            return nil
        }
    }

    /// Drops the buckets that have refilled (their keys lose nothing), else the oldest half.
    private static func forgetIdle(_ buckets: inout [String: Bucket], now: Date, refill: Double, capacity: Double, keep: Int) {
        buckets = buckets.filter { $0.value.tokens + now.timeIntervalSince($0.value.updated) * refill < capacity }
        if buckets.count > keep {
            for key in buckets.sorted(by: { $0.value.updated < $1.value.updated }).prefix(buckets.count - keep).map(\.key) { buckets[key] = nil }
        }
    }
}
