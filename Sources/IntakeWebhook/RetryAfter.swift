import Foundation

/// Reads a `Retry-After` header as RFC 9110 defines it: a number of whole seconds, or an HTTP-date.
/// Anything else (negative numbers, fractions, `inf`, `1e18`, words) is ignored, so a provider's header
/// can never produce an unbounded or invalid retry time; callers still clamp to their own maximum.
public enum RetryAfter {
    /// Seconds to wait from `now`, or nil when the value is not a valid Retry-After.
    public static func seconds(_ value: String, now: Date = Date()) -> Double? {
        let value = value.trimmingCharacters(in: .whitespaces)
        if !value.isEmpty, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            // Ten digits are more than a century: cap the text before turning it into a number.
            guard value.utf8.count <= 10, let seconds = Double(value) else { return Double(Int32.max) }
            return seconds
        }
        guard let date = httpDate.date(from: value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the form servers must send.
    private static let httpDate: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter
    }()
}
