import Foundation
import Topology

/// Instances for store tests.
enum InstanceSample {
    /// An instance with every field set to something other than its default, fractional
    /// timestamps included, so that a round trip through the store proves each one survives.
    static func populated(host: String = "db", port: Int = 3307, cluster: String = "db:3306") -> Instance {
        var instance = Instance(key: InstanceKey(hostname: host, port: port))
        instance.instanceAlias = "alias-\(port)"
        instance.uptime = 86_400
        instance.serverID = Int64(port)
        instance.serverUUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562"
        instance.version = "10.11.6-MariaDB-log"
        instance.versionComment = "Debian 12"
        instance.readOnly = true
        instance.binlogFormat = "ROW"
        instance.binlogRowImage = "FULL"
        instance.logBinEnabled = true
        instance.logReplicationUpdatesEnabled = true
        instance.selfBinlogCoordinates = BinlogCoordinates(logFile: "mysql-bin.000009", logPos: 4711)
        instance.masterKey = InstanceKey(hostname: "db", port: 3306)
        instance.masterUUID = "No"
        instance.sqlThreadState = .running
        instance.ioThreadState = .other
        instance.hasReplicationFilters = true
        instance.gtidMode = "ON"
        instance.usingOracleGTID = true
        instance.usingMariaDBGTID = true
        instance.readBinlogCoordinates = BinlogCoordinates(logFile: "mysql-bin.000003", logPos: 900)
        instance.execBinlogCoordinates = BinlogCoordinates(logFile: "mysql-bin.000003", logPos: 800)
        instance.relaylogCoordinates = BinlogCoordinates(logFile: "relay-bin.000002", logPos: 627, type: .relay)
        instance.lastSQLError = "Error 'Duplicate entry' — ünïcode"
        instance.lastIOError = "error connecting to master 'repl@db:3306'"
        instance.lastSQLErrno = 1062
        instance.lastIOErrno = 2003
        instance.secondsBehindMaster = 3
        instance.sqlDelay = 60
        instance.hasReplicationCredentials = true
        instance.allowTLS = true
        instance.receipt = ReplicationReceipt(
            heartbeats: 42, heartbeatPeriod: 0.5, masterKey: InstanceKey(hostname: host, port: 3306),
            readCoordinates: BinlogCoordinates(logFile: "mysql-bin.000009", logPos: 120),
            unchangedSince: Date(timeIntervalSince1970: 1_700_000_000), unchangedThrough: Date(timeIntervalSince1970: 1_700_000_001.5)
        )
        instance.reconnectTest = ReconnectTest(
            masterKey: InstanceKey(hostname: host, port: 3306), window: 0.2, restartedAt: Date(timeIntervalSince1970: 1_700_000_002),
            latestReadingStartedAt: Date(timeIntervalSince1970: 1_700_000_002.1)
        )
        instance.executedGtidSet = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5"
        instance.gtidPurged = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-2"
        instance.gtidErrant = "3e11fa47-71ca-11e1-9e33-c80aa9429562:5"
        instance.gtidCurrentPos = "0-1-100,1-2-5"
        instance.gtidSlavePos = "0-1-100"
        instance.gtidBinlogPos = "1-2-5"
        instance.gtidDomainID = 1
        instance.gtidBinlogState = "1-5-9,1-6-3"
        instance.receivedGtids = "0-1-101"
        instance.replicationLagSeconds = 4
        instance.replicas = [InstanceKey(hostname: "r2", port: 1), InstanceKey(hostname: "r1", port: 1)]
        instance.clusterName = cluster
        instance.suggestedClusterAlias = "shop"
        instance.unresolvedHostname = "vip-shop.example"
        instance.usingPseudoGTID = true
        instance.replicationDepth = 1
        instance.isCoMaster = true
        instance.ancestryUUID = "a,b"
        instance.dataCenter = "dc1"
        instance.region = "eu"
        instance.physicalEnvironment = "prod"
        instance.semiSyncAvailable = true
        instance.semiSyncPriority = 1
        instance.semiSyncMasterEnabled = true
        instance.semiSyncReplicaEnabled = true
        instance.semiSyncMasterTimeout = 10_000
        instance.semiSyncMasterWaitForReplicaCount = 1
        instance.semiSyncMasterStatus = true
        instance.semiSyncMasterClients = 2
        instance.semiSyncReplicaStatus = true
        instance.promotionRule = .preferNot
        instance.isDowntimed = true
        instance.downtime = Downtime(key: InstanceKey(hostname: "db", port: 3306), owner: "alice", reason: "upgrade", beginsAt: Date(timeIntervalSince1970: 1_800_000_000), endsAt: nil)
        instance.lastChecked = Date(timeIntervalSince1970: 1_795_384_356.123_456)
        instance.lastSeen = Date(timeIntervalSince1970: 1_795_384_350.987_654)
        instance.lastAttemptedCheck = Date(timeIntervalSince1970: 1_795_384_356.5)
        instance.lastCheckPartialSuccess = true
        instance.lastProbeError = "read timeout"
        instance.lastDiscoveryLatencyNanoseconds = 1_567_973
        return instance
    }

    /// Names of the stored properties that `populated()` leaves at their default, so that a
    /// field added to `Instance` cannot slip past the round-trip test unnoticed.
    static func fieldsLeftAtDefault() -> [String] {
        let defaults = Mirror(reflecting: Instance(key: InstanceKey(hostname: "", port: 0))).children
        let populated = Mirror(reflecting: populated()).children
        return zip(defaults, populated).compactMap { field, value in
            String(describing: field.value) == String(describing: value.value) ? field.label : nil
        }
    }
}
