import Metrics
import Prometheus

/// The process's metrics as the HTTP layer sees them: the factory request counts go to, and the
/// registry `/metrics` renders. The executable owns both (and bootstraps swift-metrics once);
/// tests pass a registry of their own.
package struct APIMetrics: Sendable {
    package var registry: PrometheusCollectorRegistry
    package var factory: any MetricsFactory

    package init(registry: PrometheusCollectorRegistry, factory: any MetricsFactory) {
        self.registry = registry
        self.factory = factory
    }

    /// A registry with its own Prometheus factory.
    package init(registry: PrometheusCollectorRegistry) {
        self.init(registry: registry, factory: PrometheusMetricsFactory(registry: registry))
    }
}
