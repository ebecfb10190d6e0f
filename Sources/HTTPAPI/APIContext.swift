import Engine
import Foundation
import Store
import Topology

/// What the HTTP routes need: the engine's services and the few settings that shape answers.
package struct APIContext: Sendable {
    package var discovery: DiscoveryService
    package var analysis: AnalysisService
    /// `nil` where recovery does not run (some tests).
    package var recovery: RecoveryService?
    package var kv: KVPublisher?
    /// `nil` where refactoring does not run (some tests).
    package var refactorer: TopologyRefactorer?
    /// `nil` where downtime is not kept (some tests).
    package var downtimes: DowntimeService?
    package var store: SQLiteStore
    package var settings: APISettings

    package var registry: InstanceRegistry { discovery.registry }

    /// The engine's services, as the daemon builds them.
    package init(engine: OrchestratorEngine, settings: APISettings) {
        self.init(
            discovery: engine.discovery, analysis: engine.analysis, recovery: engine.recovery, kv: engine.kv,
            refactorer: engine.refactorer, downtimes: engine.downtimes, store: engine.store, settings: settings
        )
    }

    package init(
        discovery: DiscoveryService, analysis: AnalysisService, recovery: RecoveryService? = nil, kv: KVPublisher? = nil,
        refactorer: TopologyRefactorer? = nil, downtimes: DowntimeService? = nil, store: SQLiteStore, settings: APISettings
    ) {
        self.kv = kv
        self.downtimes = downtimes
        self.refactorer = refactorer
        self.discovery = discovery
        self.analysis = analysis
        self.recovery = recovery
        self.store = store
        self.settings = settings
    }
}

/// Settings the API reads (all from the configuration file).
package struct APISettings: Sendable {
    package var pollSeconds: Double
    package var reasonableReplicationLagSeconds: Int64
    package var reasonableMaintenanceReplicationLagSeconds: Int64
    package var hostname: String
    package var token: String
    package var startedAt: Date
    package var appVersion: String
    package var databaseFile: String
    /// `RecoverMasterClusterFilters`, `RecoverIntermediateMasterClusterFilters`, `RecoveryIgnoreHostnameFilters`.
    package var recoverMasterClusterFilters: [String] = []
    package var recoverIntermediateMasterClusterFilters: [String] = []
    package var recoveryIgnoreHostnameFilters: [String] = []
    /// `MaintenanceOwner`: who acknowledges when nobody is authenticated.
    package var maintenanceOwner = "orchestrator"
    /// Who may read and who may operate.
    package var access = HTTPAccessPolicy.open
    /// `URLPrefix`: the API is served under `<prefix>/api/` (normalised: `/orc`, or empty).
    package var urlPrefix = ""
    /// `UseSSL` and friends; `nil` serves plain HTTP.
    package var https: HTTPSConfiguration?

    package init(
        pollSeconds: Double, reasonableReplicationLagSeconds: Int64 = 10,
        reasonableMaintenanceReplicationLagSeconds: Int64 = 20, hostname: String, token: String,
        startedAt: Date, appVersion: String, databaseFile: String
    ) {
        self.pollSeconds = pollSeconds
        self.reasonableReplicationLagSeconds = reasonableReplicationLagSeconds
        self.reasonableMaintenanceReplicationLagSeconds = reasonableMaintenanceReplicationLagSeconds
        self.hostname = hostname
        self.token = token
        self.startedAt = startedAt
        self.appVersion = appVersion
        self.databaseFile = databaseFile
    }
}
