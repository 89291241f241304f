import NIOConcurrencyHelpers

/// How many requests of one key (a visitor, an IP address) are in flight at once: long polls hold a
/// connection for up to 20 seconds, so their number is capped, not only their rate.
public final class ConcurrencyGate: Sendable {
    private let counts = NIOLockedValueBox<[String: Int]>([:])

    public init() {}

    /// Enters `key` unless `limit` requests of it are in flight already; every true needs a `leave`.
    public func enter(_ key: String, limit: Int) -> Bool {
        counts.withLockedValue { counts in
            let now = counts[key, default: 0]
            guard now < limit else { return false }
            counts[key] = now + 1
            return true
        }
    }

    public func leave(_ key: String) {
        counts.withLockedValue { counts in
            let left = counts[key, default: 1] - 1
            counts[key] = left > 0 ? left : nil
        }
    }

    /// Keys with a request in flight.
    var activeKeys: Int { counts.withLockedValue { $0.count } }
}
