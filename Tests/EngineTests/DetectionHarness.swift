import Engine
import Foundation
import Logging
import MySQLClient
import OrchestratorTesting
import Sandbox
import Store
import Topology

/// Discovery and analysis running together against a sandbox, as in the daemon.
struct DetectionHarness {
    let discovery: DiscoveryService
    let analysis: AnalysisService
    let store: SQLiteStore
    /// Set when the harness runs with recovery.
    let recovery: RecoveryService?

    /// The current entry for `key`, if any.
    func entry(_ key: InstanceKey) async -> ReplicationAnalysis? {
        await analysis.currentAnalysis().first { $0.analyzedInstanceKey == key }
    }

    /// Every code `key` showed while watched for `samples` × 100 ms.
    func codesSeen(for key: InstanceKey, samples: Int) async throws -> Set<AnalysisCode> {
        var seen: Set<AnalysisCode> = []
        for _ in 0..<samples {
            if let code = await entry(key)?.analysis { seen.insert(code) }
            try await Task.sleep(for: .milliseconds(100))
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
    _ body: (DetectionHarness) async throws -> T
) async throws -> T {
    let store = try store ?? SQLiteStore.inMemory()
    var logger = Logger(label: "test.detection")
    logger.logLevel = .critical
    var configuration = DiscoveryConfiguration(
        credentials: Sandbox.topologyCredentials, connectTimeoutSeconds: 1, readTimeoutSeconds: 1, pollSeconds: pollSeconds
    )
    configuration.bindAddress = bindAddress
    let probe = InstanceProbe(
        configuration: configuration,
        connections: ConnectionCache(credentials: configuration.credentials, options: configuration.connectionOptions),
        logger: logger
    )
    let registry = InstanceRegistry()
    let discovery = DiscoveryService(registry: registry, probe: probe, store: store, logger: logger)
    var analysisConfiguration = AnalysisConfiguration()
    analysisConfiguration.instancePollSeconds = pollSeconds
    analysisConfiguration.reasonableLockedSemiSyncMasterSeconds = reasonableLockedSemiSyncMasterSeconds
    var recoveryService: RecoveryService?
    if var recoveryConfiguration {
        analysisConfiguration.recoverMasterClusterFilters = ["*"]
        analysisConfiguration.recoverIntermediateMasterClusterFilters = ["*"]
        recoveryConfiguration.nodeHostname = "test-node"
        recoveryConfiguration.nodeToken = recoveryConfiguration.nodeToken.isEmpty ? "test-token" : recoveryConfiguration.nodeToken
        recoveryService = RecoveryService(
            registry: registry, discovery: discovery, store: store,
            operations: ReplicationOperations(
                credentials: configuration.credentials, options: configuration.connectionOptions, waitTimeoutSeconds: 5, store: store, logger: logger
            ),
            hooks: HookRunner(timeout: .seconds(10), logger: logger),
            kv: KVPublisher(stores: kvStores, store: store, prefix: "mysql/master", retryDelays: [.milliseconds(200)], logger: logger),
            configuration: recoveryConfiguration, logger: logger
        )
    }
    let recovery = recoveryService
    let analysis = AnalysisService(
        registry: registry, store: store, hooks: HookRunner(timeout: .seconds(10), logger: logger), recovery: recovery,
        configuration: DetectionConfiguration(
            analysis: analysisConfiguration, onFailureDetectionProcesses: hooks, startupGracePeriod: .zero,
            nodeHostname: "test-node", nodeToken: "test-token"
        ),
        logger: logger
    )
    let running = Task {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await discovery.run() }
            group.addTask { try await analysis.run() }
            if let recovery { group.addTask { try await recovery.run() } }
        }
    }
    defer { running.cancel() }
    let result = try await body(DetectionHarness(discovery: discovery, analysis: analysis, store: store, recovery: recovery))
    running.cancel()
    _ = try? await running.value
    return result
}
