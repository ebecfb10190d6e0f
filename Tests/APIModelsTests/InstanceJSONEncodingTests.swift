import APIModels
import Foundation
import Testing
import Topology

@Suite struct InstanceJSONEncodingTests {
    static let now = Date(timeIntervalSince1970: 1_795_384_356)

    /// A replica with every field the JSON carries set to something other than its default.
    static func replica() -> Instance {
        var instance = Instance(key: InstanceKey(hostname: "db-2.example.net", port: 3307))
        instance.instanceAlias = "db2"
        instance.uptime = 4242
        instance.serverID = 2
        instance.serverUUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562"
        instance.version = "8.0.36-log"
        instance.versionComment = "MySQL Community Server - GPL"
        instance.readOnly = true
        instance.binlogFormat = "MIXED"
        instance.binlogRowImage = "FULL"
        instance.logBinEnabled = true
        instance.logReplicationUpdatesEnabled = true
        instance.selfBinlogCoordinates = BinlogCoordinates(logFile: "mysql-bin.000007", logPos: 1234)
        instance.masterKey = InstanceKey(hostname: "db-1.example.net", port: 3306)
        instance.masterUUID = "3e11fa47-71ca-11e1-9e33-c80aa9429561"
        instance.ancestryUUID = "3e11fa47-71ca-11e1-9e33-c80aa9429561,3e11fa47-71ca-11e1-9e33-c80aa9429562"
        instance.sqlThreadState = .stopped
        instance.ioThreadState = .other
        instance.hasReplicationFilters = true
        instance.gtidMode = "ON"
        instance.usingOracleGTID = true
        instance.readBinlogCoordinates = BinlogCoordinates(logFile: "mysql-bin.000003", logPos: 900)
        instance.execBinlogCoordinates = BinlogCoordinates(logFile: "mysql-bin.000003", logPos: 800)
        instance.relaylogCoordinates = BinlogCoordinates(logFile: "relay-bin.000002", logPos: 627, type: .relay)
        instance.lastSQLError = "Error 'Duplicate entry \"1\" for key 'PRIMARY'' on query. Default database: 'shop' — ünïcode\ttab"
        instance.lastIOError = "error reconnecting to master 'repl@db-1:3306' - retry-time: 60 <&>"
        instance.secondsBehindMaster = 42
        instance.sqlDelay = 30
        instance.executedGtidSet = "3e11fa47-71ca-11e1-9e33-c80aa9429561:1-100"
        instance.gtidPurged = "3e11fa47-71ca-11e1-9e33-c80aa9429561:1-10"
        instance.gtidErrant = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1"
        instance.replicationLagSeconds = 45
        instance.replicas = [InstanceKey(hostname: "db-4", port: 3306), InstanceKey(hostname: "db-3", port: 3307), InstanceKey(hostname: "db-3", port: 3306)]
        instance.clusterName = "db-1.example.net:3306"
        instance.suggestedClusterAlias = "shop"
        instance.replicationDepth = 1
        instance.isCoMaster = true
        instance.dataCenter = "dc1"
        instance.region = "eu"
        instance.physicalEnvironment = "prod"
        instance.semiSyncAvailable = true
        instance.semiSyncPriority = 2
        instance.semiSyncMasterEnabled = true
        instance.semiSyncReplicaEnabled = true
        instance.semiSyncMasterTimeout = 10000
        instance.semiSyncMasterWaitForReplicaCount = 1
        instance.semiSyncMasterStatus = true
        instance.semiSyncMasterClients = 2
        instance.semiSyncReplicaStatus = true
        instance.promotionRule = .prefer
        instance.isDowntimed = true
        instance.allowTLS = true
        instance.hasReplicationCredentials = true
        instance.lastSeen = now.addingTimeInterval(-3)
        instance.lastChecked = instance.lastSeen
        instance.lastAttemptedCheck = instance.lastSeen
        instance.lastDiscoveryLatencyNanoseconds = 11_660_049
        return instance
    }

    static func encode(_ instance: Instance, freshlyProbed: Bool = false, now: Date = now) -> JSONValue {
        InstanceJSON.encode(instance, context: InstanceJSONContext(now: now, pollSeconds: 5, freshlyProbed: freshlyProbed))
    }

    @Test func everyCarriedFieldSurvivesEncodeThenDecode() throws {
        let original = Self.replica()
        var decoded = try InstanceJSON.decode(JSONValue(parsing: Self.encode(original).serialized()))
        // The wire has no MariaDB GTID positions, replication errno, probe error or partial-success flag.
        decoded.gtidCurrentPos = original.gtidCurrentPos
        decoded.gtidSlavePos = original.gtidSlavePos
        decoded.gtidBinlogPos = original.gtidBinlogPos
        decoded.gtidDomainID = original.gtidDomainID
        decoded.lastSQLErrno = original.lastSQLErrno
        decoded.lastIOErrno = original.lastIOErrno
        decoded.lastProbeError = original.lastProbeError
        decoded.lastCheckPartialSuccess = original.lastCheckPartialSuccess
        // Replicas come back in the wire's sorted order.
        decoded.replicas = original.replicas
        #expect(decoded == original)
    }

    @Test func derivedAndLegacyFields() throws {
        let json = Self.encode(Self.replica())
        #expect(json["FlavorName"] == "MySQL")
        #expect(json["LogSlaveUpdatesEnabled"] == true)
        #expect(json["Slave_SQL_Running"] == false)
        #expect(json["ReplicationSQLThreadState"] == 0)
        #expect(json["ReplicationIOThreadState"] == 2)
        #expect(json["SupportsOracleGTID"] == true)
        #expect(json["SecondsBehindMaster"] == ["Int64": 42, "Valid": true])
        #expect(json["SlaveLagSeconds"] == ["Int64": 45, "Valid": true])
        #expect(json["ReplicationLagSeconds"] == json["SlaveLagSeconds"])
        #expect(json["SecondsSinceLastSeen"] == ["Int64": 3, "Valid": true])
        let sortedReplicas: JSONValue = [
            ["Hostname": "db-3", "Port": 3306], ["Hostname": "db-3", "Port": 3307], ["Hostname": "db-4", "Port": 3306],
        ]
        #expect(json["Replicas"]?.serialized() == sortedReplicas.serialized())
        #expect(json["SlaveHosts"]?.serialized() == sortedReplicas.serialized())
        #expect(json["IsCandidate"] == true)
        #expect(json["PromotionRule"] == "prefer")
        #expect(json["IsDowntimed"] == true)
        #expect(json["LastSeenTimestamp"] == "2026-11-22T21:52:33Z")
        #expect(json["IsUpToDate"] == true)
        // Stopped SQL thread comes first; errant GTID is reported independently.
        #expect(json["Problems"] == ["not_replicating", "errant_gtid"])
        #expect(json["LastDiscoveryLatency"] == 11_660_049)
    }

    @Test func masterWithoutReplicasHasEmptyListsNotNull() {
        let json = Self.encode(Instance(key: InstanceKey(hostname: "db", port: 3306)))
        let object = json.objectValue ?? []
        #expect(object.count == 87)
        #expect(Set(object.map(\.0)).count == 87)
        #expect(json["Replicas"] == [])
        #expect(json["SlaveHosts"] == [])
        #expect(json["Problems"] == ["last_check_invalid"])
        #expect(json["ReplicationGroupMembers"] == [])
        #expect(json["MasterKey"] == ["Hostname": "", "Port": 0])
        #expect(json["ReplicationGroupPrimaryInstanceKey"] == ["Hostname": "", "Port": 0])
        #expect(json["RelaylogCoordinates"] == ["LogFile": "", "LogPos": 0, "Type": 1])
        #expect(json["SecondsSinceLastSeen"] == ["Int64": 0, "Valid": false])
        #expect(json["LastSeenTimestamp"] == "")
    }

    /// `json.md` §5.3: backend-derived fields stay at zero, check flags are true.
    @Test func freshlyProbedInstanceLooksLikeOrchestratorsDiscoverAnswer() {
        var instance = Self.replica()
        instance.lastSeen = nil
        instance.lastChecked = nil
        let json = Self.encode(instance, freshlyProbed: true)
        #expect(json["FlavorName"] == "")
        #expect(json["LastSeenTimestamp"] == "")
        #expect(json["SecondsSinceLastSeen"] == ["Int64": 0, "Valid": false])
        #expect(json["Problems"] == [])
        #expect(json["IsCandidate"] == false)
        #expect(json["IsLastCheckValid"] == true)
        #expect(json["IsUpToDate"] == true)
        #expect(json["IsRecentlyChecked"] == true)
    }

    @Test func staleInstanceIsNotUpToDate() {
        let json = Self.encode(Self.replica(), now: Self.now.addingTimeInterval(60))
        #expect(json["IsUpToDate"] == false)
        #expect(json["IsRecentlyChecked"] == false)
        #expect(json["IsLastCheckValid"] == true)
        #expect(json["Problems"] == ["not_recently_checked", "errant_gtid"])
    }

    /// orchestrator stores replication errors through `strconv.QuoteToASCII`.
    @Test func replicationErrorsAreGoQuoted() throws {
        let json = Self.encode(Self.replica())
        #expect(json["LastSQLError"]?.stringValue
            == #""Error 'Duplicate entry \"1\" for key 'PRIMARY'' on query. Default database: 'shop' \u2014 \u00fcn\u00efcode\ttab""#)
        #expect(json["LastIOError"]?.serialized()
            == #""\"error reconnecting to master 'repl@db-1:3306' - retry-time: 60 \u003c\u0026\u003e\"""#)
        #expect(Self.encode(Instance(key: InstanceKey(hostname: "db", port: 1)))["LastSQLError"] == "")
        var astral = Instance(key: InstanceKey(hostname: "db", port: 1))
        astral.lastIOError = "bell\u{7} \u{1F600}"
        let quoted = try #require(Self.encode(astral)["LastIOError"]?.stringValue)
        #expect(quoted == #""bell\a \U0001f600""#)
        #expect(try InstanceJSON.decode(Self.encode(astral)).lastIOError == astral.lastIOError)
    }
}
