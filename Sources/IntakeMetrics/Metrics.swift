import CoreMetrics
import Foundation
import Prometheus

/// The service's metrics, through swift-metrics with a Prometheus registry behind it, rendered at
/// `/metrics`. Counters and gauges by name and labels; per-stage timing histograms:
/// `gcr_intake_stage_seconds{stage="decode|engine|commit|send", channel="…"}`.
public final class Metrics: Sendable {
    /// The stages a message goes through, timed separately.
    public enum Stage: String, Sendable {
        /// MIME decoding of a mail, JSON parsing and signature check of a webhook body.
        case decode
        /// The conversation engine on one message (pure work inside the writer's transaction).
        case engine
        /// One ingest transaction (a webhook batch or an IMAP batch), from its start to its commit.
        case commit
        /// One delivery attempt through a provider or SMTP.
        case send
    }

    private let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // A stage takes from tens of microseconds (the engine) to seconds (a slow provider).
        let stageBuckets: [Duration] = [
            .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1), .seconds(2.5), .seconds(10),
        ]
        factory.durationHistogramBuckets = [Self.stageMetric: stageBuckets]
        self.factory = factory
    }

    static let stageMetric = "gcr_intake_stage_seconds"

    /// Adds one to `name` with these labels (e.g. gcr_intake_inbound_total{channel="whatsapp",result="processed"}).
    public func count(_ name: String, _ labels: [String: String] = [:]) {
        Counter(label: name, dimensions: Self.dimensions(labels), factory: factory).increment()
    }

    /// Sets a gauge with these labels (e.g. gcr_intake_channel_up{channel="email"} 0).
    public func gauge(_ name: String, _ labels: [String: String] = [:], _ value: Int) {
        Gauge(label: name, dimensions: Self.dimensions(labels), factory: factory).record(value)
    }

    /// Records how long one stage took for one message (or one batch, for `commit`).
    public func observe(_ stage: Stage, channel: String, nanoseconds: UInt64) {
        Timer(label: Self.stageMetric, dimensions: [("channel", channel), ("stage", stage.rawValue)], factory: factory)
            .recordNanoseconds(Int64(clamping: nanoseconds))
    }

    /// Runs `body` and records its duration as `stage`.
    public func time<T>(_ stage: Stage, channel: String, _ body: () throws -> T) rethrows -> T {
        let started = DispatchTime.now().uptimeNanoseconds
        defer { observe(stage, channel: channel, nanoseconds: DispatchTime.now().uptimeNanoseconds &- started) }
        return try body()
    }

    /// Records the time of a whole webhook request (`gcr_intake_webhook_seconds`).
    public func observeRequest(seconds: Double) {
        Timer(label: "gcr_intake_webhook_seconds", dimensions: [], factory: factory).recordSeconds(seconds.isFinite ? max(0, seconds) : 0)
    }

    /// Every metric in the Prometheus text format.
    public func render() -> String {
        registry.emitToString()
    }

    /// Labels in a stable order, so a series is always the same one.
    private static func dimensions(_ labels: [String: String]) -> [(String, String)] {
        labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

/// Times a stage when metrics are on; just runs it otherwise.
extension Optional where Wrapped == Metrics {
    public func time<T>(_ stage: Metrics.Stage, channel: String, _ body: () throws -> T) rethrows -> T {
        switch self {
        case .some(let metrics): return try metrics.time(stage, channel: channel, body)
        case .none: return try body()
        }
    }
}
