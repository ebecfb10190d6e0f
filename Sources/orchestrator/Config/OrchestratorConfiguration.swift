import Engine
import Foundation
import Secrets
import HTTPAPI
import MySQLClient
import Topology

/// The configuration file: orchestrator's key names and defaults (where we differ, the
/// difference is listed in docs/differences-from-orchestrator.md). Only the executable sees
/// this shape; each component receives its own small configuration value.
struct OrchestratorConfiguration {
    var listenAddress = ":3000"
    var backendDB = "sqlite"
    var sqlite3DataFile = "orchestrator.sqlite3"
    var mySQLTopologyUser = ""
    var mySQLTopologyPassword = Secret("")
    var mySQLTopologyCredentialsConfigFile = ""
    var instancePollSeconds: Double = 1
    var mySQLConnectTimeoutSeconds = 2
    var mySQLDiscoveryReadTimeoutSeconds = 1
    /// Ours: see `DiscoveryConfiguration.masterPingMilliseconds`.
    var masterPingMilliseconds = 250
    /// Ours: see `DiscoveryConfiguration.replicaReconnectTestMilliseconds` (0: off).
    var replicaReconnectTestMilliseconds = 0
    var defaultInstancePort = 3306
    var discoverByShowSlaveHosts = true
    var discoverySeeds: [String] = []
    var detectClusterAliasQuery = ""
    var detectDataCenterQuery = ""
    var detectPromotionRuleQuery = ""
    var detectRegionQuery = ""
    var detectPhysicalEnvironmentQuery = ""
    var detectInstanceAliasQuery = ""
    var replicationLagQuery = ""
    var clusterNameToAlias: [String: String] = [:]
    var reasonableReplicationLagSeconds = 10
    var reasonableMaintenanceReplicationLagSeconds = 20
    var reasonableInstanceCheckSeconds: Double = 1
    var reasonableLockedSemiSyncMasterSeconds = 0
    var recoverNonWriteableMaster = false
    var enforceExactSemiSyncReplicas = false
    var reduceReplicationAnalysisCount = true
    var recoveryIgnoreHostnameFilters: [String] = []
    var recoverMasterClusterFilters: [String] = []
    var recoverIntermediateMasterClusterFilters: [String] = []
    var failureDetectionPeriodBlockMinutes: Double = 60
    var onFailureDetectionProcesses: [String] = []
    var processesShellCommand = "bash"
    var processesTimeoutSeconds: Double = 60
    var debug = false
    /// `StatusEndpoint`: where the health document is also served (orchestrator's default).
    var statusEndpoint = "/api/status"
    /// The recovery keys, already in the recovery service's shape (`+Recovery.swift`).
    var recovery = RecoveryConfiguration()
    /// `KVClusterMasterPrefix`, `ZkAddress`, and ours: `EtcdEndpoints` (v3 JSON gateway URLs).
    var kvClusterMasterPrefix = "mysql/master"
    var zkAddress = ""
    var etcdEndpoints: [String] = []
    /// Ours: the etcd lease TTL leadership campaigns with (with `EtcdEndpoints`).
    var etcdLeaseTTLSeconds = 2
    /// Ours: with `EtcdEndpoints`, each node polls only the clusters it owns among the live
    /// nodes and reads the others' results from them (`docs/high-availability.md`).
    var divideProbesAmongNodes = false
    /// `HTTPAdvertise`: the URL other nodes reach this node's API at; empty: built from `ListenAddress`.
    var httpAdvertise = ""
    /// `InstanceBulkOperationsWaitTimeoutSeconds`.
    var instanceBulkOperationsWaitTimeoutSeconds = 10
    /// `PostTakeMasterProcesses`: run after every successful take-master.
    var postTakeMasterProcesses: [String] = []

    /// `AuthenticationMethod`, `HTTPAuthUser`, `HTTPAuthPassword`, `AuthUserHeader`,
    /// `PowerAuthUsers`, `ReadOnly` (`+HTTP.swift`).
    var access = HTTPAccessPolicy()
    /// `URLPrefix`, normalised (`/orc`, or empty).
    var urlPrefix = ""
    /// `UseSSL` with its files; `nil` serves plain HTTP.
    var https: HTTPSConfiguration?
    /// `MySQLTopologyUseMutualTLS` with the `MySQLTopologySSL*` keys; `nil`: plain connections.
    var mySQLTopologyTLS: MySQLTLSOptions?

    /// Keys present in the file that orchestrator does not know (typos, most likely).
    var unknownKeys: [String] = []
    /// Settings that are accepted but do not do what the file may expect (logged at start-up).
    var warnings: [String] = []

    /// Loads and validates a file; a malformed file names the position or the key at fault.
    static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> OrchestratorConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError(description: "cannot read configuration file \(path): \(error.localizedDescription)")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ConfigurationError(description: "configuration file \(path) is not valid JSON: \(Self.describe(error))")
        }
        guard let values = object as? [String: Any] else {
            throw ConfigurationError(description: "configuration file \(path) must hold a JSON object")
        }
        do {
            return try parse(values, environment: environment)
        } catch let error as ConfigurationError {
            throw ConfigurationError(description: "configuration file \(path): \(error.description)")
        }
    }

    static func parse(_ values: [String: Any], environment: [String: String] = [:]) throws -> OrchestratorConfiguration {
        let reader = ConfigurationReader(values: values, environment: environment)
        var config = OrchestratorConfiguration()
        config.listenAddress = try reader.string("ListenAddress", default: config.listenAddress)
        config.backendDB = try reader.string("BackendDB", default: config.backendDB)
        config.sqlite3DataFile = try reader.string("SQLite3DataFile", default: config.sqlite3DataFile)
        config.mySQLTopologyUser = try reader.string("MySQLTopologyUser", default: "")
        config.mySQLTopologyPassword = try reader.secret("MySQLTopologyPassword")
        config.mySQLTopologyCredentialsConfigFile = try reader.string("MySQLTopologyCredentialsConfigFile", default: "")
        config.instancePollSeconds = try reader.double("InstancePollSeconds", default: config.instancePollSeconds)
        config.mySQLConnectTimeoutSeconds = try reader.int("MySQLConnectTimeoutSeconds", default: config.mySQLConnectTimeoutSeconds)
        config.mySQLDiscoveryReadTimeoutSeconds = try reader.int("MySQLDiscoveryReadTimeoutSeconds", default: config.mySQLDiscoveryReadTimeoutSeconds)
        config.masterPingMilliseconds = try reader.int("MasterPingMilliseconds", default: config.masterPingMilliseconds)
        config.replicaReconnectTestMilliseconds = try reader.int("ReplicaReconnectTestMilliseconds", default: config.replicaReconnectTestMilliseconds)
        config.defaultInstancePort = try reader.int("DefaultInstancePort", default: config.defaultInstancePort)
        config.discoverByShowSlaveHosts = try reader.bool("DiscoverByShowSlaveHosts", default: config.discoverByShowSlaveHosts)
        config.discoverySeeds = try reader.strings("DiscoverySeeds")
        config.detectClusterAliasQuery = try reader.string("DetectClusterAliasQuery", default: "")
        config.detectDataCenterQuery = try reader.string("DetectDataCenterQuery", default: "")
        config.detectPromotionRuleQuery = try reader.string("DetectPromotionRuleQuery", default: "")
        config.detectRegionQuery = try reader.string("DetectRegionQuery", default: "")
        config.detectPhysicalEnvironmentQuery = try reader.string("DetectPhysicalEnvironmentQuery", default: "")
        config.detectInstanceAliasQuery = try reader.string("DetectInstanceAliasQuery", default: "")
        config.replicationLagQuery = try reader.string("ReplicationLagQuery", default: try reader.string("SlaveLagQuery", default: ""))
        config.clusterNameToAlias = try reader.stringMap("ClusterNameToAlias")
        config.reasonableReplicationLagSeconds = try reader.int("ReasonableReplicationLagSeconds", default: config.reasonableReplicationLagSeconds)
        config.reasonableMaintenanceReplicationLagSeconds = try reader.int(
            "ReasonableMaintenanceReplicationLagSeconds", default: config.reasonableMaintenanceReplicationLagSeconds
        )
        try parseDetection(reader, into: &config)
        try parseRecovery(reader, into: &config)
        try parseHTTP(reader, into: &config)
        try parseTopologyTLS(reader, into: &config)
        config.debug = try reader.bool("Debug", default: false)
        config.statusEndpoint = try reader.string("StatusEndpoint", default: config.statusEndpoint)
        config.unknownKeys = values.keys.filter { !KnownConfigurationKeys.all.contains($0) }.sorted()
        try config.validate()
        if !config.mySQLTopologyCredentialsConfigFile.isEmpty {
            let credentials = try CredentialsFile.read(path: config.mySQLTopologyCredentialsConfigFile)
            config.mySQLTopologyUser = credentials.user ?? config.mySQLTopologyUser
            config.mySQLTopologyPassword = credentials.password ?? config.mySQLTopologyPassword
        }
        return config
    }

    private static func parseDetection(_ reader: ConfigurationReader, into config: inout OrchestratorConfiguration) throws {
        config.reasonableInstanceCheckSeconds = try reader.double("ReasonableInstanceCheckSeconds", default: config.reasonableInstanceCheckSeconds)
        config.reasonableLockedSemiSyncMasterSeconds = try reader.int("ReasonableLockedSemiSyncMasterSeconds", default: 0)
        config.recoverNonWriteableMaster = try reader.bool("RecoverNonWriteableMaster", default: false)
        config.enforceExactSemiSyncReplicas = try reader.bool("EnforceExactSemiSyncReplicas", default: false)
        config.reduceReplicationAnalysisCount = try reader.bool("ReduceReplicationAnalysisCount", default: true)
        config.recoveryIgnoreHostnameFilters = try reader.strings("RecoveryIgnoreHostnameFilters")
        config.recoverMasterClusterFilters = try reader.strings("RecoverMasterClusterFilters")
        config.recoverIntermediateMasterClusterFilters = try reader.strings("RecoverIntermediateMasterClusterFilters")
        config.failureDetectionPeriodBlockMinutes = try reader.double("FailureDetectionPeriodBlockMinutes", default: 60)
        config.onFailureDetectionProcesses = try reader.strings("OnFailureDetectionProcesses")
        config.processesShellCommand = try reader.string("ProcessesShellCommand", default: "bash")
        config.processesTimeoutSeconds = try reader.double("ProcessesTimeoutSeconds", default: 60)
    }

    /// The keys analysis reads.
    var analysisConfiguration: AnalysisConfiguration {
        var analysis = AnalysisConfiguration()
        analysis.instancePollSeconds = instancePollSeconds
        analysis.reasonableInstanceCheckSeconds = reasonableInstanceCheckSeconds
        analysis.reasonableReplicationLagSeconds = Int64(reasonableReplicationLagSeconds)
        analysis.reasonableLockedSemiSyncMasterSeconds = Int64(reasonableLockedSemiSyncMasterSeconds)
        analysis.recoverNonWriteableMaster = recoverNonWriteableMaster
        analysis.enforceExactSemiSyncReplicas = enforceExactSemiSyncReplicas
        analysis.reduceReplicationAnalysisCount = reduceReplicationAnalysisCount
        analysis.recoveryIgnoreHostnameFilters = recoveryIgnoreHostnameFilters
        analysis.recoverMasterClusterFilters = recoverMasterClusterFilters
        analysis.recoverIntermediateMasterClusterFilters = recoverIntermediateMasterClusterFilters
        return analysis
    }

    private func validate() throws {
        for (key, patterns) in [("RecoveryIgnoreHostnameFilters", recoveryIgnoreHostnameFilters),
                                ("RecoverMasterClusterFilters", recoverMasterClusterFilters),
                                ("RecoverIntermediateMasterClusterFilters", recoverIntermediateMasterClusterFilters)] {
            // Cluster filters also take `*` (every cluster) and `alias=` (exact); the rest are regexes.
            let literal = { (pattern: String) in key != "RecoveryIgnoreHostnameFilters" && (pattern == "*" || pattern.hasPrefix("alias=")) }
            for pattern in patterns where !literal(pattern) && (try? Regex(pattern.hasPrefix("alias~=") ? String(pattern.dropFirst(7)) : pattern)) == nil {
                throw ConfigurationError.invalid(key, "'\(pattern)' is not a valid regular expression")
            }
        }
        guard processesTimeoutSeconds > 0 else { throw ConfigurationError.invalid("ProcessesTimeoutSeconds", "must be greater than 0") }
        guard failureDetectionPeriodBlockMinutes >= 0 else { throw ConfigurationError.invalid("FailureDetectionPeriodBlockMinutes", "must not be negative") }
        guard backendDB.isEmpty || backendDB.lowercased().contains("sqlite") else {
            throw ConfigurationError.invalid("BackendDB", "'\(backendDB)' is not supported: this orchestrator keeps its state in an embedded SQLite file (set BackendDB to \"sqlite\" and SQLite3DataFile)")
        }
        guard instancePollSeconds > 0 else { throw ConfigurationError.invalid("InstancePollSeconds", "must be greater than 0") }
        guard mySQLConnectTimeoutSeconds > 0 else { throw ConfigurationError.invalid("MySQLConnectTimeoutSeconds", "must be greater than 0") }
        guard masterPingMilliseconds >= 0 else { throw ConfigurationError.invalid("MasterPingMilliseconds", "must be 0 (off) or more") }
        guard (0...60000).contains(replicaReconnectTestMilliseconds) else {
            throw ConfigurationError.invalid("ReplicaReconnectTestMilliseconds", "must be 0 (off) to 60000")
        }
        guard replicaReconnectTestMilliseconds == 0 || masterPingMilliseconds > 0 else {
            throw ConfigurationError.invalid("ReplicaReconnectTestMilliseconds", "needs MasterPingMilliseconds: the test starts when a master leaves a ping unanswered")
        }
        guard mySQLDiscoveryReadTimeoutSeconds > 0 else { throw ConfigurationError.invalid("MySQLDiscoveryReadTimeoutSeconds", "must be greater than 0") }
        guard (1...65535).contains(defaultInstancePort) else { throw ConfigurationError.invalid("DefaultInstancePort", "must be a port number") }
        for pattern in clusterNameToAlias.keys where (try? Regex(pattern)) == nil {
            throw ConfigurationError.invalid("ClusterNameToAlias", "'\(pattern)' is not a valid regular expression")
        }
        _ = try listenHostAndPort()
        guard statusEndpoint.hasPrefix("/") else { throw ConfigurationError.invalid("StatusEndpoint", "'\(statusEndpoint)' must be a path starting with /") }
    }

    /// `ListenAddress` as host and port; `:3000` listens on every interface, as in orchestrator.
    func listenHostAndPort() throws -> (host: String, port: Int) {
        guard let colon = listenAddress.lastIndex(of: ":"), let port = Int(listenAddress[listenAddress.index(after: colon)...]),
              (0...65535).contains(port) else {
            throw ConfigurationError.invalid("ListenAddress", "'\(listenAddress)' is not host:port or :port")
        }
        var host = String(listenAddress[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    private static func describe(_ error: Error) -> String {
        let nsError = error as NSError
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
    }
}
