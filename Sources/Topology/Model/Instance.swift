import Foundation

/// Everything known about one server: the facts of its latest successful probe plus the
/// bookkeeping of when it was checked. A plain value; `Engine` produces it, everything else reads it.
package struct Instance: Sendable, Equatable, Codable {
    package var key: InstanceKey
    package var instanceAlias = ""
    package var uptime: Int64 = 0
    package var serverID: Int64 = 0
    package var serverUUID = ""
    package var version = ""
    package var versionComment = ""
    package var readOnly = false
    package var binlogFormat = ""
    package var binlogRowImage = ""
    package var logBinEnabled = false
    package var logReplicationUpdatesEnabled = false
    package var selfBinlogCoordinates = BinlogCoordinates()

    // Replication (from SHOW SLAVE STATUS; empty master key when not a replica).
    package var masterKey = InstanceKey(hostname: "", port: 0)
    package var masterUUID = ""
    package var sqlThreadState = ReplicationThreadState.noThread
    package var ioThreadState = ReplicationThreadState.noThread
    package var hasReplicationFilters = false
    package var gtidMode = ""
    package var usingOracleGTID = false
    package var usingMariaDBGTID = false
    /// orchestrator's `UsingPseudoGTID`, as read from its exported data (shadow mode); our probes
    /// never set it (Pseudo-GTID is not supported), but it counts as failover support there.
    package var usingPseudoGTID = false
    package var readBinlogCoordinates = BinlogCoordinates()
    package var execBinlogCoordinates = BinlogCoordinates()
    package var relaylogCoordinates = BinlogCoordinates(type: .relay)
    package var lastSQLError = ""
    package var lastIOError = ""
    package var lastSQLErrno: Int64 = 0
    package var lastIOErrno: Int64 = 0
    package var secondsBehindMaster: Int64?
    package var sqlDelay: Int64 = 0
    package var hasReplicationCredentials = false
    package var allowTLS = false
    /// What the IO thread last received from its master, and since when it has not changed
    /// (MariaDB `Slave_received_heartbeats` / `Slave_heartbeat_period`): the evidence that a
    /// master which stopped answering has also stopped sending (`MasterSilence`).
    package var receipt: ReplicationReceipt?
    /// A reconnect test the manager is running on this replica's IO thread (`ReconnectTest`),
    /// kept by the registry until the replica is read connected again.
    package var reconnectTest: ReconnectTest?

    // GTID state. MySQL: gtid_executed/gtid_purged. MariaDB: the three positions and domain id,
    // which orchestrator never reads but which recovery needs to compare replicas.
    package var executedGtidSet = ""
    package var gtidPurged = ""
    package var gtidErrant = ""
    package var gtidCurrentPos = ""
    package var gtidSlavePos = ""
    package var gtidBinlogPos = ""
    package var gtidDomainID: Int64 = 0
    /// GTIDs received into the relay log, applied or not: MariaDB `Gtid_IO_Pos`, MySQL
    /// `Retrieved_Gtid_Set`. Recovery ranks replicas by what they hold, not only by what they
    /// applied. Optional so that instances stored before it existed still decode.
    package var receivedGtids: String?
    /// MariaDB `gtid_binlog_state`: the last GTID of every (domain, server) pair in the binary
    /// log, from which errant transactions are found. Optional so stored instances still decode.
    package var gtidBinlogState: String?

    package var replicationLagSeconds: Int64?
    package var replicas: [InstanceKey] = []

    // Cluster membership (computed from the master chain).
    package var clusterName = ""
    package var suggestedClusterAlias = ""
    /// The virtual name registered for this host (`register-hostname-unresolve`), `""` if none:
    /// replicas are pointed at it instead of the host name.
    package var unresolvedHostname = ""
    package var replicationDepth = 0
    package var isCoMaster = false
    package var ancestryUUID = ""

    // Placement.
    package var dataCenter = ""
    package var region = ""
    package var physicalEnvironment = ""

    // Semi-sync.
    package var semiSyncAvailable = false
    package var semiSyncPriority: Int64 = 0
    package var semiSyncMasterEnabled = false
    package var semiSyncReplicaEnabled = false
    package var semiSyncMasterTimeout: Int64 = 0
    package var semiSyncMasterWaitForReplicaCount: Int64 = 0
    package var semiSyncMasterStatus = false
    package var semiSyncMasterClients: Int64 = 0
    package var semiSyncReplicaStatus = false

    package var promotionRule = PromotionRule.neutral
    package var isDowntimed = false
    /// The downtime in force, if any (owner, reason, end), as the registry knows it.
    package var downtime: Downtime?

    // Check bookkeeping (orchestrator's last_checked / last_seen / last_attempted_check).
    package var lastChecked: Date?
    package var lastSeen: Date?
    package var lastAttemptedCheck: Date?
    package var lastCheckPartialSuccess = false
    /// The error of the latest failed probe, `""` after a successful one.
    package var lastProbeError = ""
    /// Duration of the latest probe in nanoseconds.
    package var lastDiscoveryLatencyNanoseconds: Int64 = 0

    package init(key: InstanceKey) {
        self.key = key
    }
}

/// orchestrator's candidate promotion rules.
package enum PromotionRule: String, Sendable, Codable, CaseIterable {
    case must, prefer, neutral
    case preferNot = "prefer_not"
    case mustNot = "must_not"
}
