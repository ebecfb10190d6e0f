import Foundation
import Topology

extension InstanceJSON {
    /// Reads orchestrator's Instance JSON, from orchestrator itself or from us. `Key` is
    /// required; any other missing or `null` field takes its default; a field of the wrong type
    /// is an error naming it. Derived and backend-only keys (`FlavorName`, `IsCandidate`,
    /// `Problems`, `SecondsSinceLastSeen`, the legacy `Slave…` copies when the new ones exist, …)
    /// are not read: they are recomputed on encoding.
    ///
    /// The JSON has no check times, only `LastSeenTimestamp` and `IsLastCheckValid`, so
    /// `lastChecked` becomes the last-seen time (or one second later when the last check
    /// failed, which keeps `isLastCheckValid` false). A freshly probed document has no
    /// timestamp: its check times stay `nil`.
    package static func decode(_ value: JSONValue) throws(InstanceJSONError) -> Instance {
        guard case .object = value else { throw InstanceJSONError(reason: "expected a JSON object") }
        let key = try JSONFieldReader(object: value, error: InstanceJSONError(reason: "")).key("Key", required: true)
        let reader = JSONFieldReader(object: value, error: InstanceJSONError(instance: key.description, reason: ""))
        var instance = Instance(key: key)
        try readServer(reader, into: &instance)
        try readReplication(reader, into: &instance)
        try readClusterAndPlacement(reader, into: &instance)
        try readSemiSync(reader, into: &instance)
        try readBookkeeping(reader, into: &instance)
        return instance
    }

    /// A JSON array of instances, as `cluster/…`, `all-instances` and `instance-replicas/…` answer.
    /// Errors name the element's index.
    package static func decodeArray(_ data: Data) throws(InstanceJSONError) -> [Instance] {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: data)
        } catch {
            throw InstanceJSONError(document: "instance list", reason: "not valid JSON: \(error)")
        }
        guard let elements = value.arrayValue else { throw InstanceJSONError(document: "instance list", reason: "expected a JSON array") }
        var instances: [Instance] = []
        instances.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            do {
                instances.append(try decode(element))
            } catch {
                throw error.at(index: index)
            }
        }
        return instances
    }

    private static func readServer(_ reader: JSONFieldReader, into instance: inout Instance) throws(InstanceJSONError) {
        instance.instanceAlias = try reader.string("InstanceAlias")
        instance.uptime = try reader.int("Uptime")
        instance.serverID = try reader.int("ServerID")
        instance.serverUUID = try reader.string("ServerUUID")
        instance.version = try reader.string("Version")
        instance.versionComment = try reader.string("VersionComment")
        instance.readOnly = try reader.bool("ReadOnly")
        instance.binlogFormat = try reader.string("Binlog_format")
        instance.binlogRowImage = try reader.string("BinlogRowImage")
        instance.logBinEnabled = try reader.bool("LogBinEnabled")
        // Older orchestrators only have the legacy name.
        instance.logReplicationUpdatesEnabled = reader.member("LogReplicationUpdatesEnabled") == nil
            ? try reader.bool("LogSlaveUpdatesEnabled") : try reader.bool("LogReplicationUpdatesEnabled")
        instance.selfBinlogCoordinates = try reader.coordinates("SelfBinlogCoordinates")
    }

    private static func readReplication(_ reader: JSONFieldReader, into instance: inout Instance) throws(InstanceJSONError) {
        instance.masterKey = try reader.key("MasterKey", required: false)
        instance.masterUUID = try reader.string("MasterUUID")
        instance.ancestryUUID = try reader.string("AncestryUUID")
        instance.sqlThreadState = try threadState(reader, "ReplicationSQLThreadState", running: ["Slave_SQL_Running", "ReplicationSQLThreadRuning"])
        instance.ioThreadState = try threadState(reader, "ReplicationIOThreadState", running: ["Slave_IO_Running", "ReplicationIOThreadRuning"])
        instance.usingPseudoGTID = try reader.bool("UsingPseudoGTID")
        instance.hasReplicationFilters = try reader.bool("HasReplicationFilters")
        instance.gtidMode = try reader.string("GTIDMode")
        instance.usingOracleGTID = try reader.bool("UsingOracleGTID")
        instance.usingMariaDBGTID = try reader.bool("UsingMariaDBGTID")
        instance.readBinlogCoordinates = try reader.coordinates("ReadBinlogCoordinates")
        instance.execBinlogCoordinates = try reader.coordinates("ExecBinlogCoordinates")
        instance.relaylogCoordinates = try reader.coordinates("RelaylogCoordinates", defaultType: .relay)
        instance.lastSQLError = GoQuote.unquote(try reader.string("LastSQLError"))
        instance.lastIOError = GoQuote.unquote(try reader.string("LastIOError"))
        instance.secondsBehindMaster = try reader.nullInt("SecondsBehindMaster")
        instance.sqlDelay = try reader.int("SQLDelay")
        instance.executedGtidSet = try reader.string("ExecutedGtidSet")
        instance.gtidPurged = try reader.string("GtidPurged")
        instance.gtidErrant = try reader.string("GtidErrant")
        instance.replicationLagSeconds = reader.member("ReplicationLagSeconds") == nil
            ? try reader.nullInt("SlaveLagSeconds") : try reader.nullInt("ReplicationLagSeconds")
        instance.replicas = reader.member("Replicas") == nil ? try reader.keys("SlaveHosts") : try reader.keys("Replicas")
        instance.hasReplicationCredentials = try reader.bool("HasReplicationCredentials")
        instance.allowTLS = try reader.bool("AllowTLS")
    }

    private static func readClusterAndPlacement(_ reader: JSONFieldReader, into instance: inout Instance) throws(InstanceJSONError) {
        instance.clusterName = try reader.string("ClusterName")
        instance.suggestedClusterAlias = try reader.string("SuggestedClusterAlias")
        instance.unresolvedHostname = try reader.string("UnresolvedHostname")
        instance.dataCenter = try reader.string("DataCenter")
        instance.region = try reader.string("Region")
        instance.physicalEnvironment = try reader.string("PhysicalEnvironment")
        guard let depth = Int(exactly: try reader.int("ReplicationDepth")) else { throw reader.fail("ReplicationDepth", expected: "an integer") }
        instance.replicationDepth = depth
        instance.isCoMaster = try reader.bool("IsCoMaster")
        let rule = try reader.string("PromotionRule", default: PromotionRule.neutral.rawValue)
        guard let promotionRule = PromotionRule(rawValue: rule) else {
            throw reader.fail("PromotionRule", expected: "one of " + PromotionRule.allCases.map(\.rawValue).joined(separator: ", "))
        }
        instance.promotionRule = promotionRule
        instance.isDowntimed = try reader.bool("IsDowntimed")
    }

    private static func readSemiSync(_ reader: JSONFieldReader, into instance: inout Instance) throws(InstanceJSONError) {
        instance.semiSyncAvailable = try reader.bool("SemiSyncAvailable")
        instance.semiSyncPriority = try reader.int("SemiSyncPriority")
        instance.semiSyncMasterEnabled = try reader.bool("SemiSyncMasterEnabled")
        instance.semiSyncReplicaEnabled = try reader.bool("SemiSyncReplicaEnabled")
        instance.semiSyncMasterTimeout = try reader.int("SemiSyncMasterTimeout")
        instance.semiSyncMasterWaitForReplicaCount = try reader.int("SemiSyncMasterWaitForReplicaCount")
        instance.semiSyncMasterStatus = try reader.bool("SemiSyncMasterStatus")
        instance.semiSyncMasterClients = try reader.int("SemiSyncMasterClients")
        instance.semiSyncReplicaStatus = try reader.bool("SemiSyncReplicaStatus")
    }

    private static func readBookkeeping(_ reader: JSONFieldReader, into instance: inout Instance) throws(InstanceJSONError) {
        instance.lastDiscoveryLatencyNanoseconds = try reader.int("LastDiscoveryLatency")
        let text = try reader.string("LastSeenTimestamp")
        guard !text.isEmpty else { return }
        guard let lastSeen = APITimestamp.parse(text) else {
            throw reader.fail("LastSeenTimestamp", "expected an RFC 3339 or 'YYYY-MM-DD HH:MM:SS' timestamp, got '\(text)'")
        }
        // A document without the flag is taken as a successful check.
        var valid = true
        if reader.member("IsLastCheckValid") != nil { valid = try reader.bool("IsLastCheckValid") }
        instance.lastSeen = lastSeen
        instance.lastChecked = valid ? lastSeen : lastSeen.addingTimeInterval(1)
        instance.lastAttemptedCheck = instance.lastChecked
    }

    /// The state number, or for documents without it the first running flag present (which
    /// cannot tell "stopped" from "not a replica": a false flag reads as no thread).
    /// orchestrator's analysis reads the `Slave_*_Running` booleans; the thread states are
    /// derived from them and can be stale in exported or older backends. So a boolean, when
    /// present, decides whether the thread runs, and the state only refines "not running" into
    /// stopped or connecting (a stale "running" under a false boolean becomes stopped).
    private static func threadState(_ reader: JSONFieldReader, _ field: String, running flags: [String]) throws(InstanceJSONError) -> ReplicationThreadState {
        var state: ReplicationThreadState?
        if reader.member(field) != nil {
            guard let parsed = ReplicationThreadState(rawValue: Int(try reader.int(field))) else { throw reader.fail(field, expected: "-1, 0, 1 or 2") }
            state = parsed
        }
        guard let flag = flags.first(where: { reader.member($0) != nil }) else { return state ?? .noThread }
        if try reader.bool(flag) { return .running }
        guard let state else { return .noThread }
        return state == .running ? .stopped : state
    }
}
