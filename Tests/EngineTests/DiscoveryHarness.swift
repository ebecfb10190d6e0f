import Engine
import Foundation
import OrchestratorTesting
import Store
import Topology

/// The engine (built as the daemon builds it) polling a sandbox every `pollSeconds`, with an
/// in-memory store and no automated recovery; always shut down.
func withDiscovery<T>(
    pollSeconds: Double = 0.2,
    discoverByShowSlaveHosts: Bool = true,
    _ body: (DiscoveryService, SQLiteStore) async throws -> T
) async throws -> T {
    var configuration = EngineConfiguration.sandbox(pollSeconds: pollSeconds)
    configuration.discovery.discoverByShowSlaveHosts = discoverByShowSlaveHosts
    configuration.discovery.detectDataCenterQuery = "SELECT 'dc-test'"
    configuration.discovery.detectClusterAliasQuery = "SELECT 'sandbox'"
    configuration.discovery.detectPromotionRuleQuery = "SELECT IF(@@server_id % 2 = 0, 'prefer_not', 'no such rule')"
    return try await withRunningEngine(configuration) { engine in
        try await body(engine.discovery, engine.store)
    }
}

func localKey(_ port: Int) -> InstanceKey { InstanceKey(hostname: "127.0.0.1", port: port) }
