import Engine
import HTTPAPI
import Metrics
import Prometheus

/// The Prometheus registry behind `/metrics`, and the factory the engine and the HTTP layer
/// record through. Histogram buckets are chosen per metric for what it measures.
enum MetricsSetup {
    /// The process's registry, with swift-metrics bootstrapped to it: `serve` and `demo` use
    /// this. A `static let` initialises once, so the bootstrap (which may run only once per
    /// process) cannot happen twice.
    static let process: APIMetrics = {
        let metrics = isolated()
        MetricsSystem.bootstrap(metrics.factory)
        return metrics
    }()

    /// A registry of its own, not bootstrapped: for daemons built inside tests.
    static func isolated() -> APIMetrics {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Probes of healthy servers take a millisecond or less; failed ones up to the timeouts.
        factory.durationHistogramBuckets[EngineMetrics.Name.probeDuration] = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10),
        ]
        // A failover takes from under a second to the operations' wait timeouts.
        factory.durationHistogramBuckets[EngineMetrics.Name.detectionToWritable] = [
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(3), .seconds(5), .seconds(10), .seconds(20),
            .seconds(30), .seconds(60), .seconds(120),
        ]
        return APIMetrics(registry: registry, factory: factory)
    }
}
