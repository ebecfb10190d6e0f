import Metrics
import Synchronization
import Topology

/// The engine's metrics, through the swift-metrics API only: which backend receives them (the
/// daemon's Prometheus registry, a test's own registry, or nothing) is the injected factory's
/// business. Names are stable and listed in docs/metrics.md; labels take values from small
/// fixed sets (result kinds, analysis codes, recovery types) so series stay few.
package final class EngineMetrics: Sendable {
    package enum Name {
        package static let probeDuration = "orchestrator_discovery_probe_duration_seconds"
        package static let probes = "orchestrator_discovery_probes_total"
        package static let probeErrors = "orchestrator_discovery_probe_errors_total"
        package static let instancesKnown = "orchestrator_discovery_instances_known"
        package static let analysisEntries = "orchestrator_analysis_entries"
        package static let detections = "orchestrator_analysis_detections_total"
        package static let recoveries = "orchestrator_recovery_recoveries_total"
        package static let detectionToWritable = "orchestrator_recovery_detection_to_writable_seconds"
        package static let isLeader = "orchestrator_leadership_is_leader"
        package static let leadershipChanges = "orchestrator_leadership_changes_total"
        package static let fenced = "orchestrator_leadership_fenced_total"
        package static let probeShareNodes = "orchestrator_probe_share_nodes"
        package static let probeShareReceived = "orchestrator_probe_share_received_total"
    }

    private let factory: any MetricsFactory
    /// Analysis codes given a non-zero gauge last time: a code that disappears is set back to 0
    /// instead of keeping its last count.
    private let reportedCodes = Mutex<Set<String>>([])

    package init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// Records nothing; for components built without metrics.
    package static let none = EngineMetrics(factory: NOOPMetricsHandler.instance)

    /// One probe: its duration by result (`ok` or the error kind), and the error count.
    package func probe(result: ProbeResult, duration: Duration) {
        let dimensions = [("result", result.label)]
        Timer(label: Name.probeDuration, dimensions: dimensions, factory: factory).record(duration: duration)
        Counter(label: Name.probes, dimensions: dimensions, factory: factory).increment()
        if result != .ok {
            Counter(label: Name.probeErrors, dimensions: [("kind", result.label)], factory: factory).increment()
        }
    }

    /// Where this node stands after a campaign round; `change`: `acquired` or `lost`, when it changed.
    package func leadership(isLeader: Bool, change: String?) {
        Gauge(label: Name.isLeader, factory: factory).record(isLeader ? 1 : 0)
        if let change { Counter(label: Name.leadershipChanges, dimensions: [("change", change)], factory: factory).increment() }
    }

    /// A change to a server or a recovery step refused because its leadership term ended.
    package func fenced() {
        Counter(label: Name.fenced, factory: factory).increment()
    }

    /// `DivideProbesAmongNodes`: how many nodes the probes are divided among now.
    package func probeShareNodes(_ count: Int) {
        Gauge(label: Name.probeShareNodes, factory: factory).record(count)
    }

    /// `DivideProbesAmongNodes`: probe results received from the other nodes.
    package func probeShareReceived(_ count: Int) {
        guard count > 0 else { return }
        Counter(label: Name.probeShareReceived, factory: factory).increment(by: Int64(count))
    }

    package func instancesKnown(_ count: Int) {
        Gauge(label: Name.instancesKnown, factory: factory).record(count)
    }

    /// The current analysis of every cluster: how many entries carry each code. `NoProblem` is
    /// not counted.
    package func analysisEntries(_ entries: [ReplicationAnalysis]) {
        var counts: [String: Int] = [:]
        for entry in entries where entry.analysis != .noProblem { counts[entry.analysis.rawValue, default: 0] += 1 }
        let gone = reportedCodes.withLock { reported in
            let gone = reported.subtracting(counts.keys)
            reported = Set(counts.keys)
            return gone
        }
        for code in gone { Gauge(label: Name.analysisEntries, dimensions: [("analysis", code)], factory: factory).record(0) }
        for (code, count) in counts { Gauge(label: Name.analysisEntries, dimensions: [("analysis", code)], factory: factory).record(count) }
    }

    /// A new failure detection was recorded.
    package func detection(_ code: AnalysisCode) {
        Counter(label: Name.detections, dimensions: [("analysis", code.rawValue)], factory: factory).increment()
    }

    /// A recovery attempt that got as far as registration: `type` is `master`,
    /// `intermediate_master` or `graceful_takeover`; `result` is `success`, `failure` or `blocked`.
    package func recovery(type: String, result: String) {
        Counter(label: Name.recoveries, dimensions: [("type", type), ("result", result)], factory: factory).increment()
    }

    /// From the moment analysis handed a dead master to recovery to the moment its successor
    /// accepted writes.
    package func detectionToWritable(_ duration: Duration) {
        Timer(label: Name.detectionToWritable, factory: factory).record(duration: duration)
    }
}

/// What a probe came to, as the `result` label: `ok`, or what kind of failure.
package enum ProbeResult: String, Sendable, CaseIterable {
    case ok
    /// The server could not be reached (refused, no route, unknown host, connect timeout).
    case connect = "connect_error"
    /// The server accepted the connection but not these credentials.
    case accessDenied = "access_denied"
    /// The connection broke or a read timed out mid-probe.
    case connectionLost = "connection_lost"
    /// A statement failed on a working connection.
    case query = "query_error"

    package var label: String { rawValue }
}
