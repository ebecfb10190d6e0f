import Foundation
import Topology

/// A JSON document that is not an orchestrator Instance (or list of them).
package struct InstanceJSONError: Error, Sendable, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

extension InstanceJSON {
    /// Reads orchestrator's Instance JSON (from orchestrator itself or from us). Missing optional
    /// fields take defaults; `Key` is required.
    package static func decode(_ value: JSONValue) throws(InstanceJSONError) -> Instance {
        guard case .object = value else { throw InstanceJSONError("instance is not a JSON object") }
        let key = try decodeKey(value["Key"], field: "Key", required: true)
        let name = key.description
        var instance = Instance(key: key)
        let reader = FieldReader(value: value, instance: name)
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
        let logReplicationUpdates = try reader.bool("LogReplicationUpdatesEnabled")
        let logSlaveUpdates = try reader.bool("LogSlaveUpdatesEnabled")
        instance.logReplicationUpdatesEnabled = logReplicationUpdates || logSlaveUpdates
        instance.selfBinlogCoordinates = try reader.coordinates("SelfBinlogCoordinates")
        instance.masterKey = try decodeKey(value["MasterKey"], field: "\(name): MasterKey", required: false)
        instance.masterUUID = try reader.string("MasterUUID")
        instance.ancestryUUID = try reader.string("AncestryUUID")
        instance.sqlThreadState = try reader.threadState("ReplicationSQLThreadState", running: "ReplicationSQLThreadRuning")
        instance.ioThreadState = try reader.threadState("ReplicationIOThreadState", running: "ReplicationIOThreadRuning")
        instance.hasReplicationFilters = try reader.bool("HasReplicationFilters")
        instance.gtidMode = try reader.string("GTIDMode")
        instance.usingOracleGTID = try reader.bool("UsingOracleGTID")
        instance.usingMariaDBGTID = try reader.bool("UsingMariaDBGTID")
        instance.readBinlogCoordinates = try reader.coordinates("ReadBinlogCoordinates")
        instance.execBinlogCoordinates = try reader.coordinates("ExecBinlogCoordinates")
        instance.relaylogCoordinates = try reader.coordinates("RelaylogCoordinates")
        instance.lastSQLError = GoQuote.unquote(try reader.string("LastSQLError"))
        instance.lastIOError = GoQuote.unquote(try reader.string("LastIOError"))
        instance.secondsBehindMaster = try reader.nullInt("SecondsBehindMaster")
        instance.sqlDelay = try reader.int("SQLDelay")
        instance.executedGtidSet = try reader.string("ExecutedGtidSet")
        instance.gtidPurged = try reader.string("GtidPurged")
        instance.gtidErrant = try reader.string("GtidErrant")
        instance.replicationLagSeconds = try reader.nullInt("ReplicationLagSeconds")
        instance.replicas = try reader.keys("Replicas", fallback: "SlaveHosts")
        instance.clusterName = try reader.string("ClusterName")
        instance.suggestedClusterAlias = try reader.string("SuggestedClusterAlias")
        instance.dataCenter = try reader.string("DataCenter")
        instance.region = try reader.string("Region")
        instance.physicalEnvironment = try reader.string("PhysicalEnvironment")
        instance.replicationDepth = Int(try reader.int("ReplicationDepth"))
        instance.isCoMaster = try reader.bool("IsCoMaster")
        instance.hasReplicationCredentials = try reader.bool("HasReplicationCredentials")
        instance.semiSyncAvailable = try reader.bool("SemiSyncAvailable")
        instance.semiSyncPriority = try reader.int("SemiSyncPriority")
        instance.semiSyncMasterEnabled = try reader.bool("SemiSyncMasterEnabled")
        instance.semiSyncReplicaEnabled = try reader.bool("SemiSyncReplicaEnabled")
        instance.semiSyncMasterTimeout = try reader.int("SemiSyncMasterTimeout")
        instance.semiSyncMasterWaitForReplicaCount = try reader.int("SemiSyncMasterWaitForReplicaCount")
        instance.semiSyncMasterStatus = try reader.bool("SemiSyncMasterStatus")
        instance.semiSyncMasterClients = try reader.int("SemiSyncMasterClients")
        instance.semiSyncReplicaStatus = try reader.bool("SemiSyncReplicaStatus")
        instance.promotionRule = PromotionRule(rawValue: try reader.string("PromotionRule")) ?? .neutral
        instance.isDowntimed = try reader.bool("IsDowntimed")
        instance.allowTLS = try reader.bool("AllowTLS")
        instance.lastDiscoveryLatencyNanoseconds = try reader.int("LastDiscoveryLatency")
        // The API does not carry check times; the last-seen time and validity are all it has.
        let lastSeen = APITimestamp.parse(try reader.string("LastSeenTimestamp"))
        instance.lastSeen = lastSeen
        if let lastSeen {
            let reportedValid = try reader.bool("IsLastCheckValid")
            let valid = value["IsLastCheckValid"] == nil || reportedValid
            instance.lastChecked = valid ? lastSeen : lastSeen.addingTimeInterval(1)
            instance.lastAttemptedCheck = instance.lastChecked
            instance.lastCheckPartialSuccess = valid
        }
        return instance
    }

    /// A JSON array of instances, as `/api/cluster/...` answers.
    package static func decodeArray(_ data: Data) throws(InstanceJSONError) -> [Instance] {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: data)
        } catch {
            throw InstanceJSONError("not valid JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)")")
        }
        guard let elements = value.arrayValue else { throw InstanceJSONError("expected a JSON array of instances") }
        var instances: [Instance] = []
        for (index, element) in elements.enumerated() {
            do {
                instances.append(try decode(element))
            } catch {
                throw InstanceJSONError("instance #\(index): \(error.description)")
            }
        }
        return instances
    }

    static func decodeKey(_ value: JSONValue?, field: String, required: Bool) throws(InstanceJSONError) -> InstanceKey {
        guard let value, value != .null else {
            if required { throw InstanceJSONError("missing field \(field)") }
            return InstanceKey(hostname: "", port: 0)
        }
        guard let host = value["Hostname"]?.stringValue else { throw InstanceJSONError("field \(field).Hostname: expected a string") }
        guard let port = value["Port"]?.intValue else { throw InstanceJSONError("field \(field).Port: expected an integer") }
        if required, host.isEmpty || port <= 0 { throw InstanceJSONError("field \(field): empty host or port") }
        return InstanceKey(hostname: host, port: Int(port))
    }
}

/// Typed reads of optional fields, with errors naming the instance and field.
private struct FieldReader {
    let value: JSONValue
    let instance: String

    func fail(_ field: String, _ expected: String) -> InstanceJSONError {
        InstanceJSONError("instance \(instance): field \(field): expected \(expected)")
    }

    func string(_ field: String) throws(InstanceJSONError) -> String {
        guard let member = value[field], member != .null else { return "" }
        guard let text = member.stringValue else { throw fail(field, "a string") }
        return text
    }

    func int(_ field: String) throws(InstanceJSONError) -> Int64 {
        guard let member = value[field], member != .null else { return 0 }
        guard let number = member.intValue else { throw fail(field, "an integer") }
        return number
    }

    func bool(_ field: String) throws(InstanceJSONError) -> Bool {
        guard let member = value[field], member != .null else { return false }
        guard let flag = member.boolValue else { throw fail(field, "true or false") }
        return flag
    }

    func nullInt(_ field: String) throws(InstanceJSONError) -> Int64? {
        guard let member = value[field], member != .null else { return nil }
        if let number = member.intValue { return number }
        guard case .object = member, let valid = member["Valid"]?.boolValue else { throw fail(field, "{Int64, Valid}") }
        return valid ? member["Int64"]?.intValue ?? 0 : nil
    }

    func coordinates(_ field: String) throws(InstanceJSONError) -> BinlogCoordinates {
        guard let member = value[field], member != .null else { return BinlogCoordinates() }
        guard case .object = member else { throw fail(field, "{LogFile, LogPos, Type}") }
        let type: BinlogCoordinates.LogType = member["Type"]?.intValue == 1 ? .relay : .binary
        return BinlogCoordinates(logFile: member["LogFile"]?.stringValue ?? "", logPos: member["LogPos"]?.intValue ?? 0, type: type)
    }

    func threadState(_ field: String, running: String) throws(InstanceJSONError) -> ReplicationThreadState {
        if let member = value[field], member != .null {
            guard let raw = member.intValue, let state = ReplicationThreadState(rawValue: Int(raw)) else { throw fail(field, "-1, 0, 1 or 2") }
            return state
        }
        return try bool(running) ? .running : .noThread
    }

    func keys(_ field: String, fallback: String) throws(InstanceJSONError) -> [InstanceKey] {
        guard let member = value[field] ?? value[fallback], member != .null else { return [] }
        guard let elements = member.arrayValue else { throw fail(field, "a list of keys") }
        var keys: [InstanceKey] = []
        for element in elements { keys.append(try InstanceJSON.decodeKey(element, field: "\(instance): \(field)", required: true)) }
        return keys
    }
}
