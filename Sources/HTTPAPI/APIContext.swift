import Engine
import Foundation
import Logging
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
    /// For what the routes cannot answer with (an audit row that could not be written).
    package var logger = Logger(label: "orchestrator.http")
    /// `nil`: no `/metrics` route and requests are not counted (most tests).
    package var metrics: APIMetrics?
    /// The engine's clock: what the routes record (a downtime begun, a candidate registered, a
    /// recovery acknowledged) is on the time the engine expires it by.
    package var clock: any EngineClock = SystemClock()
    /// Who leads: operations run on the leader only (followers forward them), and the health
    /// and raft routes say where leadership stands.
    package var leadership: any Leadership
    /// Where the global recovery switch and promotion rules are written (shared through etcd
    /// among several nodes).
    package var controls: any OperatorControls
    /// `DivideProbesAmongNodes`: what this node publishes on `probe-share`; `nil` when off.
    package var probeFeed: ProbeFeed?

    package var registry: InstanceRegistry { discovery.registry }

    /// The engine's services, as the daemon builds them.
    package init(engine: OrchestratorEngine, settings: APISettings, metrics: APIMetrics? = nil) {
        self.init(
            discovery: engine.discovery, analysis: engine.analysis, recovery: engine.recovery, kv: engine.kv,
            refactorer: engine.refactorer, downtimes: engine.downtimes, store: engine.store, settings: settings
        )
        self.metrics = metrics
        self.clock = engine.configuration.clock
        // A single node answers with the name its settings give it (`raft-leader`, `raft-peers`).
        if engine.leadership.isDistributed { leadership = engine.leadership }
        controls = engine.controls
        probeFeed = engine.probeFeed
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
        leadership = SingleNodeLeadership(ownRecord: LeaderRecord(node: settings.hostname, url: ""))
        controls = LocalControls(store: store)
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
    /// `StatusEndpoint`: where the health document is also served. orchestrator's default
    /// `/api/status` is a route of the API; any other path is served verbatim and
    /// `/api/status` then does not exist.
    package var statusEndpoint = "/api/status"
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

extension APIContext {
    /// Appends an audit entry for a change already made; a failure to record it is logged, not
    /// answered (the change stands and the caller is told it happened).
    func audit(_ type: String, _ key: InstanceKey?, _ message: String) async {
        do {
            _ = try await store.appendAudit(AuditEntry(timestamp: clock.now, type: type, instanceKey: key, message: message))
        } catch {
            logger.error("cannot write audit entry", metadata: ["instance": "\(key?.description ?? "")", "audit_type": "\(type)", "error": "\(error)"])
        }
    }
}
