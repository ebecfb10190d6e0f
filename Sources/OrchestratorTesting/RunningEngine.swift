import Engine
import Foundation
import Logging
import Metrics
import Sandbox
import Secrets
import ServiceLifecycle
import Store
import Topology

extension EngineConfiguration {
    /// The daemon's engine configuration for sandbox servers, with budgets sized for a loaded
    /// 2-core test machine: 2 s to connect and to read, hooks killed after 10 s, operations
    /// waiting up to 10 s, no start-up grace, no periodic KV submission (tests call it).
    package static func sandbox(pollSeconds: Double = 1, recovery: RecoveryConfiguration? = nil) -> EngineConfiguration {
        var discovery = DiscoveryConfiguration(
            credentials: Sandbox.topologyCredentials, connectTimeoutSeconds: 2, readTimeoutSeconds: 2, pollSeconds: pollSeconds
        )
        discovery.detectClusterAliasQuery = ""
        var analysis = AnalysisConfiguration()
        analysis.instancePollSeconds = pollSeconds
        var recoveryConfiguration = recovery ?? RecoveryConfiguration()
        recoveryConfiguration.nodeHostname = "test-node"
        if recoveryConfiguration.nodeToken.isEmpty { recoveryConfiguration.nodeToken = "test-token" }
        if recovery != nil {
            analysis.recoverMasterClusterFilters = ["*"]
            analysis.recoverIntermediateMasterClusterFilters = ["*"]
        }
        var configuration = EngineConfiguration(
            discovery: discovery,
            detection: DetectionConfiguration(
                analysis: analysis, startupGracePeriod: .zero, nodeHostname: "test-node", nodeToken: "test-token"
            ),
            recovery: recoveryConfiguration
        )
        configuration.automatedRecovery = recovery != nil
        configuration.hooksTimeout = .seconds(10)
        configuration.kvRetryDelays = [.milliseconds(200)]
        configuration.kvSubmitStartupDelay = .seconds(3600)
        configuration.operationsWaitTimeoutSeconds = 10
        configuration.refactoring.policy.instancePollSeconds = pollSeconds
        configuration.refactoring.nodeHostname = "test-node"
        configuration.refactoring.replicationCredentialsQuery = "SELECT '\(Sandbox.replicationCredentials.user)', '\(Sandbox.replicationCredentials.password.revealed)'"
        return configuration
    }
}

/// Runs the engine's services in a `ServiceGroup`, as the daemon does, while `body` runs; on
/// every path (result, thrown error, cancellation) it shuts the group down gracefully and waits
/// for every service to return before this function does.
package func withRunningEngine<T>(
    _ configuration: EngineConfiguration, store: SQLiteStore? = nil, metricsFactory: (any MetricsFactory)? = nil,
    _ body: (OrchestratorEngine) async throws -> T
) async throws -> T {
    let engine = OrchestratorEngine(
        configuration: configuration, store: try store ?? SQLiteStore.inMemory(), logLevel: .critical,
        metricsFactory: metricsFactory ?? NOOPMetricsHandler.instance
    )
    var logger = Logger(label: "orchestrator.test.engine")
    logger.logLevel = .critical
    var groupConfiguration = ServiceGroupConfiguration(
        services: engine.services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }, logger: logger
    )
    // A service that ignored the graceful shutdown would hang the test; cancel it instead.
    groupConfiguration.maximumGracefulShutdownDuration = .seconds(30)
    let group = ServiceGroup(configuration: groupConfiguration)
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await body(engine))
        } catch {
            outcome = .failure(error)
        }
        await group.triggerGracefulShutdown()
        // The body's error wins over one from the services.
        do {
            try await tasks.waitForAll()
        } catch {
            if case .success = outcome { throw error }
        }
        return try outcome.get()
    }
}

/// Why a topology was not ready: each instance and its last probe's outcome.
package struct TopologyNotReady: Error, CustomStringConvertible {
    package var description: String

    package init(description: String) {
        self.description = description
    }
}

/// Waits until every key is discovered, its last check valid, and (for replicas) replication
/// running; throws, naming each instance's state and last probe error, when `timeout` passes.
/// A test that goes on against a topology it never saw healthy proves nothing.
package func requireDiscovered(
    _ keys: [InstanceKey], in registry: InstanceRegistry, replicating: Bool = true, timeout: Duration = .seconds(60)
) async throws {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while true {
        let known = Dictionary(await registry.allInstances().map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let problems: [String] = keys.compactMap { key in
            guard let instance = known[key] else { return "\(key): not discovered" }
            if !instance.isLastCheckValid {
                return "\(key): last probe failed: \(instance.lastProbeError.isEmpty ? "(no error recorded)" : instance.lastProbeError)"
            }
            if replicating, instance.masterKey.port != 0, !instance.isReplicationRunning {
                return "\(key): replication from \(instance.masterKey) not running (IO \(instance.ioThreadState), SQL \(instance.sqlThreadState))"
                    + (instance.lastIOError.isEmpty ? "" : " IO error: \(instance.lastIOError)")
            }
            return nil
        }
        if problems.isEmpty { return }
        if ContinuousClock.now >= deadline {
            throw TopologyNotReady(description: "topology not ready after \(timeout): " + problems.joined(separator: "; "))
        }
        try await Task.sleep(for: .milliseconds(50))
    }
}
