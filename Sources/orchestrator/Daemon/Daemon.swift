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
    let store: SQLiteStore
    private let application: any Service
    private let logger: Logger

    init(configuration: OrchestratorConfiguration, logger: Logger) throws {
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
        discovery = DiscoveryService(
            registry: InstanceRegistry(clusterNameToAlias: configuration.clusterNameToAlias),
            probe: probe, store: store, seeds: seeds, logger: discoveryLogger
        )
        let (host, port) = try configuration.listenHostAndPort()
        let settings = APISettings(
            pollSeconds: configuration.instancePollSeconds,
            reasonableReplicationLagSeconds: Int64(configuration.reasonableReplicationLagSeconds),
            reasonableMaintenanceReplicationLagSeconds: Int64(configuration.reasonableMaintenanceReplicationLagSeconds),
            hostname: ProcessInfo.processInfo.hostName,
            token: UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""),
            startedAt: Date(), appVersion: OrchestratorVersion.current, databaseFile: configuration.sqlite3DataFile
        )
        var httpLogger = Logger(label: "orchestrator.http")
        httpLogger.logLevel = logger.logLevel
        application = APIRouter.application(
            context: APIContext(discovery: discovery, store: store, settings: settings), host: host, port: port, logger: httpLogger
        )
    }

    /// Runs until SIGTERM/SIGINT, or until `extra` services finish.
    func run(extra: [any Service] = []) async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: ([discovery, application] + extra).map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
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
