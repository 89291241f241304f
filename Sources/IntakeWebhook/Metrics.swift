import Foundation

/// Counters and a latency histogram, rendered in the Prometheus text format at /metrics.
public final class Metrics: @unchecked Sendable {
    // @unchecked: every field is only touched under `lock`.
    private let lock = NSLock()
    private var counters: [String: [String: Int]] = [:]
    private var labelledGauges: [String: [String: Int]] = [:]
    private static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    private var latencyCounts = [Int](repeating: 0, count: buckets.count)
    private var latencySum = 0.0
    private var latencyTotal = 0

    public init() {}

    /// Adds one to `name` with these labels (e.g. inbound{channel="whatsapp",result="processed"}).
    public func count(_ name: String, _ labels: [String: String]) {
        lock.withLock { counters[name, default: [:]][Self.key(labels), default: 0] += 1 }
    }

    /// Sets a gauge with these labels (e.g. gcr_intake_channel_up{channel="email"} 0).
    public func gauge(_ name: String, _ labels: [String: String], _ value: Int) {
        lock.withLock { labelledGauges[name, default: [:]][Self.key(labels)] = value }
    }

    private static func key(_ labels: [String: String]) -> String {
        labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",")
    }

    /// Records how long processing one webhook request took.
    public func observe(seconds: Double) {
        lock.withLock {
            for (index, bound) in Self.buckets.enumerated() where seconds <= bound { latencyCounts[index] += 1 }
            latencySum += seconds
            latencyTotal += 1
        }
    }

    public func render(gauges: [String: Int]) -> String {
        lock.withLock {
            var lines: [String] = []
            for (name, series) in counters.sorted(by: { $0.key < $1.key }) {
                lines.append("# TYPE \(name) counter")
                for (labels, value) in series.sorted(by: { $0.key < $1.key }) { lines.append("\(name){\(labels)} \(value)") }
            }
            for (name, value) in gauges.sorted(by: { $0.key < $1.key }) {
                lines.append("# TYPE \(name) gauge")
                lines.append("\(name) \(value)")
            }
            for (name, series) in labelledGauges.sorted(by: { $0.key < $1.key }) {
                lines.append("# TYPE \(name) gauge")
                for (labels, value) in series.sorted(by: { $0.key < $1.key }) { lines.append("\(name){\(labels)} \(value)") }
            }
            lines.append("# TYPE gcr_intake_webhook_seconds histogram")
            for (index, bound) in Self.buckets.enumerated() { lines.append("gcr_intake_webhook_seconds_bucket{le=\"\(bound)\"} \(latencyCounts[index])") }
            lines.append("gcr_intake_webhook_seconds_bucket{le=\"+Inf\"} \(latencyTotal)")
            lines.append("gcr_intake_webhook_seconds_sum \(latencySum)")
            lines.append("gcr_intake_webhook_seconds_count \(latencyTotal)")
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
