import Engine
import Foundation
import Metrics
import OrchestratorTesting
import Store
import Topology

/// Discovery, analysis and (optionally) automated recovery against a sandbox, built by the
/// daemon's factory and run in a `ServiceGroup`.
struct DetectionHarness {
    let engine: OrchestratorEngine
    var discovery: DiscoveryService { engine.discovery }
    var analysis: AnalysisService { engine.analysis }
    var store: SQLiteStore { engine.store }
    /// Set when the harness runs with automated recovery.
    var recovery: RecoveryService? { engine.configuration.automatedRecovery ? engine.recovery : nil }

    /// The current entry for `key`, if any.
    func entry(_ key: InstanceKey) async -> ReplicationAnalysis? {
        await analysis.currentAnalysis().first { $0.analyzedInstanceKey == key }
    }

    /// Every code `key` showed while each of `keys` was probed `probes` more times: a window
    /// measured in probes (each followed by analysis), not in wall time, so a slow machine
    /// widens it instead of letting it pass with nothing checked.
    func codesSeen(for key: InstanceKey, whileProbing keys: [InstanceKey], probes: Int) async throws -> Set<AnalysisCode> {
        var seen: Set<AnalysisCode> = []
        var lastAttempt: [InstanceKey: Date] = [:]
        var attempts: [InstanceKey: Int] = [:]
        let deadline = ContinuousClock.now.advanced(by: .seconds(120))
        while keys.contains(where: { attempts[$0, default: 0] < probes }) {
            if let code = await entry(key)?.analysis { seen.insert(code) }
            for instance in await discovery.registry.allInstances() where keys.contains(instance.key) {
                if let attempted = instance.lastAttemptedCheck, attempted != lastAttempt[instance.key] {
                    if lastAttempt[instance.key] != nil { attempts[instance.key, default: 0] += 1 }
                    lastAttempt[instance.key] = attempted
                }
            }
            guard ContinuousClock.now < deadline else {
                throw TopologyNotReady(description: "instances were not probed \(probes) times in 120 s: \(attempts)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return seen
    }
}

func withDetection<T>(
    pollSeconds: Double = 1,
    hooks: [String] = [],
    bindAddress: String? = nil,
    reasonableLockedSemiSyncMasterSeconds: Int64 = 0,
    recovery recoveryConfiguration: RecoveryConfiguration? = nil,
    kvStores: [any KVStore] = [],
    store: SQLiteStore? = nil,
    metricsFactory: (any MetricsFactory)? = nil,
    configure: (inout EngineConfiguration) -> Void = { _ in },
    _ body: (DetectionHarness) async throws -> T
) async throws -> T {
    var configuration = EngineConfiguration.sandbox(pollSeconds: pollSeconds, recovery: recoveryConfiguration)
    configuration.discovery.bindAddress = bindAddress
    configuration.detection.onFailureDetectionProcesses = hooks
    configuration.detection.analysis.reasonableLockedSemiSyncMasterSeconds = reasonableLockedSemiSyncMasterSeconds
    configuration.kvStores = kvStores
    configure(&configuration)
    return try await withRunningEngine(configuration, store: store, metricsFactory: metricsFactory) { engine in
        try await body(DetectionHarness(engine: engine))
    }
}
