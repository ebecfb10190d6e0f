import APIModels
import Engine
import Foundation
import HTTPAPI
import Hummingbird
import Logging
import MySQLClient
import ServiceLifecycle
import Store
import Topology

/// The one composition root: builds every long-running service from the configuration.
struct Daemon {
    let configuration: OrchestratorConfiguration
    let discovery: DiscoveryService
    let analysis: AnalysisService
    let recovery: RecoveryService
    let kv: KVPublisher
    let kvSubmitter: KVMasterSubmitter
    let store: SQLiteStore
    private let application: any Service
    private let logger: Logger

    init(configuration: OrchestratorConfiguration, logger: Logger, watchMasters: Bool = true) throws {
        self.configuration = configuration
        self.logger = logger
        do {
            store = try SQLiteStore(path: configuration.sqlite3DataFile)
        } catch {
            throw ConfigurationError.invalid("SQLite3DataFile", "\(error)")
        }
        let discoveryConfiguration = DiscoveryConfiguration(
            credentials: MySQLCredentials(user: configuration.mySQLTopologyUser, password: configuration.mySQLTopologyPassword),
            connectTimeoutSeconds: configuration.mySQLConnectTimeoutSeconds,
            readTimeoutSeconds: configuration.mySQLDiscoveryReadTimeoutSeconds,
            pollSeconds: configuration.instancePollSeconds,
            detectDataCenterQuery: configuration.detectDataCenterQuery,
            detectRegionQuery: configuration.detectRegionQuery,
            detectPhysicalEnvironmentQuery: configuration.detectPhysicalEnvironmentQuery,
            detectClusterAliasQuery: configuration.detectClusterAliasQuery,
            detectInstanceAliasQuery: configuration.detectInstanceAliasQuery,
            replicationLagQuery: configuration.replicationLagQuery,
            detectPromotionRuleQuery: configuration.detectPromotionRuleQuery,
            discoverByShowSlaveHosts: configuration.discoverByShowSlaveHosts,
            clusterNameToAlias: configuration.clusterNameToAlias
        )
        var discoveryLogger = Logger(label: "orchestrator.discovery")
        discoveryLogger.logLevel = logger.logLevel
        let probe = InstanceProbe(
            configuration: discoveryConfiguration,
            connections: ConnectionCache(credentials: discoveryConfiguration.credentials, options: discoveryConfiguration.connectionOptions),
            logger: discoveryLogger
        )
        let seeds = try configuration.discoverySeeds.map { seed in
            do throws(InstanceKeyError) {
                return try InstanceKey(parsing: seed, defaultPort: configuration.defaultInstancePort)
            } catch {
                throw ConfigurationError.invalid("DiscoverySeeds", error.description)
            }
        }
        let registry = InstanceRegistry(
            clusterNameToAlias: configuration.clusterNameToAlias, reasonableReplicationLagSeconds: Int64(configuration.reasonableReplicationLagSeconds)
        )
        discovery = DiscoveryService(registry: registry, probe: probe, store: store, seeds: seeds, watchMasters: watchMasters, logger: discoveryLogger)
        let hostname = ProcessInfo.processInfo.hostName
        let token = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        var analysisLogger = Logger(label: "orchestrator.analysis")
        analysisLogger.logLevel = logger.logLevel
        var hooksLogger = Logger(label: "orchestrator.hooks")
        hooksLogger.logLevel = logger.logLevel
        var recoveryLogger = Logger(label: "orchestrator.recovery")
        recoveryLogger.logLevel = logger.logLevel
        let hooks = HookRunner(
            shellCommand: configuration.processesShellCommand,
            timeout: .milliseconds(Int64(configuration.processesTimeoutSeconds * 1000)), logger: hooksLogger
        )
        var recoveryConfiguration = configuration.recovery
        recoveryConfiguration.nodeHostname = hostname
        recoveryConfiguration.nodeToken = token
        var kvStores: [any KVStore] = []
        if !configuration.etcdEndpoints.isEmpty { kvStores.append(EtcdKVStore(endpoints: configuration.etcdEndpoints)) }
        if !configuration.zkAddress.isEmpty { kvStores.append(ZooKeeperKVStore(address: configuration.zkAddress)) }
        kv = KVPublisher(stores: kvStores, store: store, prefix: configuration.kvClusterMasterPrefix, logger: recoveryLogger)
        kvSubmitter = KVMasterSubmitter(
            kv: kv, registry: registry, startupDelay: .milliseconds(Int64(3 * configuration.instancePollSeconds * 1000)), logger: recoveryLogger
        )
        recovery = RecoveryService(
            registry: registry, discovery: discovery, store: store,
            operations: ReplicationOperations(
                credentials: discoveryConfiguration.credentials, options: discoveryConfiguration.connectionOptions,
                waitTimeoutSeconds: configuration.instanceBulkOperationsWaitTimeoutSeconds, store: store, logger: recoveryLogger
            ),
            hooks: hooks, kv: kv, configuration: recoveryConfiguration, logger: recoveryLogger
        )
        analysis = AnalysisService(
            registry: registry, store: store, hooks: hooks, recovery: recovery,
            configuration: DetectionConfiguration(
                analysis: configuration.analysisConfiguration,
                failureDetectionPeriodBlockMinutes: configuration.failureDetectionPeriodBlockMinutes,
                onFailureDetectionProcesses: configuration.onFailureDetectionProcesses,
                startupGracePeriod: .milliseconds(Int64(3 * configuration.instancePollSeconds * 1000)),
                nodeHostname: hostname, nodeToken: token
            ),
            logger: analysisLogger
        )
        let (host, port) = try configuration.listenHostAndPort()
        var settings = APISettings(
            pollSeconds: configuration.instancePollSeconds,
            reasonableReplicationLagSeconds: Int64(configuration.reasonableReplicationLagSeconds),
            reasonableMaintenanceReplicationLagSeconds: Int64(configuration.reasonableMaintenanceReplicationLagSeconds),
            hostname: hostname, token: token,
            startedAt: Date(), appVersion: OrchestratorVersion.current, databaseFile: configuration.sqlite3DataFile
        )
        settings.recoverMasterClusterFilters = configuration.recoverMasterClusterFilters
        settings.recoverIntermediateMasterClusterFilters = configuration.recoverIntermediateMasterClusterFilters
        settings.recoveryIgnoreHostnameFilters = configuration.recoveryIgnoreHostnameFilters
        var httpLogger = Logger(label: "orchestrator.http")
        httpLogger.logLevel = logger.logLevel
        application = APIRouter.application(
            context: APIContext(discovery: discovery, analysis: analysis, recovery: recovery, kv: kv, store: store, settings: settings), host: host, port: port, logger: httpLogger
        )
    }

    /// Runs until SIGTERM/SIGINT, or until `extra` services finish.
    func run(extra: [any Service] = []) async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: ([discovery, analysis, recovery, kvSubmitter, application] + extra).map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}

enum OrchestratorVersion {
    static let current = "0.1.0"
}
