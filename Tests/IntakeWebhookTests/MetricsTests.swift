import IntakeMetrics
import XCTest

/// /metrics in the Prometheus text format: counters and gauges by labels (in a stable order), and the
/// per-stage timing histograms.
final class MetricsTests: XCTestCase {
    func testCountersGaugesAndStageHistogramsRender() throws {
        let metrics = Metrics()
        metrics.count("gcr_intake_inbound_total", ["result": "processed", "channel": "telegram"])
        metrics.count("gcr_intake_inbound_total", ["channel": "telegram", "result": "processed"])
        metrics.count("gcr_intake_inbound_total", ["channel": "email", "result": "duplicate"])
        metrics.gauge("gcr_intake_channel_up", ["channel": "email"], 0)
        metrics.gauge("gcr_intake_outbox_backlog", [:], 12)
        metrics.observe(.engine, channel: "telegram", nanoseconds: 70_000)  // 70 µs
        metrics.observe(.commit, channel: "webhook", nanoseconds: 3_000_000)  // 3 ms
        let timed = metrics.time(.decode, channel: "email") { 41 + 1 }
        XCTAssertEqual(timed, 42)
        let text = metrics.render()
        XCTAssertTrue(text.contains("gcr_intake_inbound_total{channel=\"telegram\",result=\"processed\"} 2"), text)
        XCTAssertTrue(text.contains("gcr_intake_inbound_total{channel=\"email\",result=\"duplicate\"} 1"), text)
        XCTAssertTrue(text.contains("gcr_intake_channel_up{channel=\"email\"} 0"), text)
        XCTAssertTrue(text.contains("gcr_intake_outbox_backlog 12"), text)
        XCTAssertTrue(text.contains("# TYPE gcr_intake_stage_seconds histogram"), text)
        // 70 µs falls in the 100 µs bucket, not the 50 µs one.
        XCTAssertTrue(text.contains("gcr_intake_stage_seconds_bucket{channel=\"telegram\",stage=\"engine\",le=\"0.00005\"} 0"), text)
        XCTAssertTrue(text.contains("gcr_intake_stage_seconds_bucket{channel=\"telegram\",stage=\"engine\",le=\"0.0001\"} 1"), text)
        XCTAssertTrue(text.contains("gcr_intake_stage_seconds_count{channel=\"webhook\",stage=\"commit\"} 1"), text)
        XCTAssertTrue(text.contains("gcr_intake_stage_seconds_count{channel=\"email\",stage=\"decode\"} 1"), text)
    }
}
