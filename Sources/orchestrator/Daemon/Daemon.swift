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
    let engine: OrchestratorEngine
    var discovery: DiscoveryService { engine.discovery }
    var analysis: AnalysisService { engine.analysis }
    var recovery: RecoveryService { engine.recovery }
    var kv: KVPublisher { engine.kv }
    var store: SQLiteStore { engine.store }
    private let application: any Service
    private let logger: Logger

    /// - Parameter metrics: where metrics go and what `/metrics` shows; `serve` and `demo` pass
    ///   the process's bootstrapped registry, tests get one of their own.
    init(configuration: OrchestratorConfiguration, logger: Logger, watchMasters: Bool = true, metrics: APIMetrics = MetricsSetup.isolated()) throws {
        self.configuration = configuration
        self.logger = logger
        let store: SQLiteStore
        do {
            store = try SQLiteStore(path: configuration.sqlite3DataFile)
        } catch {
            throw ConfigurationError.invalid("SQLite3DataFile", "\(error)")
        }
        let hostname = ProcessInfo.processInfo.hostName
        let token = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        var engineConfiguration = try configuration.engineConfiguration(hostname: hostname, token: token)
        engineConfiguration.watchMasters = watchMasters
        engine = OrchestratorEngine(configuration: engineConfiguration, store: store, logLevel: logger.logLevel, metricsFactory: metrics.factory)
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
        settings.statusEndpoint = configuration.statusEndpoint
        configuration.applyHTTP(to: &settings)
        var httpLogger = Logger(label: "orchestrator.http")
        httpLogger.logLevel = logger.logLevel
        var api = APIContext(engine: engine, settings: settings, metrics: metrics)
        api.logger = httpLogger
        do throws(HTTPSConfigurationError) {
            application = try APIRouter.application(context: api, host: host, port: port, logger: httpLogger)
        } catch {
            throw ConfigurationError(description: error.description)
        }
    }

    /// Runs until SIGTERM/SIGINT, or until `extra` services finish.
    func run(extra: [any Service] = []) async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: (engine.services + [application] + extra).map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
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
