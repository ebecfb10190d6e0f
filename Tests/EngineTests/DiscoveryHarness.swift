import Engine
import Foundation
import Logging
import MySQLClient
import OrchestratorTesting
import Sandbox
import Store
import Topology

/// A running DiscoveryService against a sandbox, with an in-memory store; always stopped.
func withDiscovery<T>(
    pollSeconds: Double = 0.2,
    _ body: (DiscoveryService, SQLiteStore) async throws -> T
) async throws -> T {
    let store = try SQLiteStore.inMemory()
    var logger = Logger(label: "test.discovery")
    logger.logLevel = .critical
    let configuration = DiscoveryConfiguration(
        credentials: Sandbox.topologyCredentials, connectTimeoutSeconds: 1, readTimeoutSeconds: 1, pollSeconds: pollSeconds,
        detectDataCenterQuery: "SELECT 'dc-test'", detectClusterAliasQuery: "SELECT 'sandbox'",
        detectPromotionRuleQuery: "SELECT IF(@@server_id % 2 = 0, 'prefer_not', 'no such rule')"
    )
    let probe = InstanceProbe(
        configuration: configuration,
        connections: ConnectionCache(credentials: configuration.credentials, options: configuration.connectionOptions),
        logger: logger
    )
    let discovery = DiscoveryService(registry: InstanceRegistry(), probe: probe, store: store, logger: logger)
    let running = Task { try await discovery.run() }
    do {
        let result = try await body(discovery, store)
        running.cancel()
        _ = try? await running.value
        return result
    } catch {
        running.cancel()
        _ = try? await running.value
        throw error
    }
}

func localKey(_ port: Int) -> InstanceKey { InstanceKey(hostname: "127.0.0.1", port: port) }
