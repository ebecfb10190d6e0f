import Foundation
import Topology

/// Reads the optional sections of a snapshot object; each failure names the section, the
/// element and the field.
struct SnapshotSectionReader {
    let root: JSONValue

    func time(_ field: String) throws(SnapshotDocumentError) -> Date? {
        guard let value = root[field], !value.isNull else { return nil }
        return try Self.time(value, at: field)
    }

    static func time(_ value: JSONValue, at place: String) throws(SnapshotDocumentError) -> Date? {
        if value.isNull { return nil }
        guard let text = value.stringValue else { throw SnapshotDocumentError("\(place): expected an RFC 3339 time string") }
        if text.isEmpty || text.hasPrefix("0001-01-01") { return nil }
        guard let date = APITimestamp.parse(text) else { throw SnapshotDocumentError("\(place): expected an RFC 3339 time, got '\(text)'") }
        return date
    }

    func configuration() throws(SnapshotDocumentError) -> AnalysisConfiguration {
        var configuration = AnalysisConfiguration()
        guard let config = root["config"], !config.isNull else { return configuration }
        guard case .object = config else { throw SnapshotDocumentError("config: expected an object of orchestrator configuration keys") }
        func number(_ key: String) throws(SnapshotDocumentError) -> Double? {
            guard let value = config[key], !value.isNull else { return nil }
            guard let number = value.doubleValue else { throw SnapshotDocumentError("config: field \(key): expected a number") }
            return number
        }
        func flag(_ key: String) throws(SnapshotDocumentError) -> Bool? {
            guard let value = config[key], !value.isNull else { return nil }
            guard let flag = value.boolValue else { throw SnapshotDocumentError("config: field \(key): expected true or false") }
            return flag
        }
        func strings(_ key: String) throws(SnapshotDocumentError) -> [String]? {
            guard let value = config[key], !value.isNull else { return nil }
            guard let items = value.arrayValue?.compactMap(\.stringValue), items.count == value.arrayValue?.count else {
                throw SnapshotDocumentError("config: field \(key): expected an array of strings")
            }
            return items
        }
        if let value = try number("InstancePollSeconds") { configuration.instancePollSeconds = value }
        if let value = try number("ReasonableInstanceCheckSeconds") { configuration.reasonableInstanceCheckSeconds = value }
        if let value = try number("ReasonableReplicationLagSeconds") { configuration.reasonableReplicationLagSeconds = Int64(value) }
        if let value = try number("ReasonableLockedSemiSyncMasterSeconds") { configuration.reasonableLockedSemiSyncMasterSeconds = Int64(value) }
        if let value = try flag("RecoverNonWriteableMaster") { configuration.recoverNonWriteableMaster = value }
        if let value = try flag("EnforceExactSemiSyncReplicas") { configuration.enforceExactSemiSyncReplicas = value }
        if let value = try flag("ReduceReplicationAnalysisCount") { configuration.reduceReplicationAnalysisCount = value }
        if let value = try strings("RecoveryIgnoreHostnameFilters") { configuration.recoveryIgnoreHostnameFilters = value }
        if let value = try strings("RecoverMasterClusterFilters") { configuration.recoverMasterClusterFilters = value }
        if let value = try strings("RecoverIntermediateMasterClusterFilters") { configuration.recoverIntermediateMasterClusterFilters = value }
        return configuration
    }

    /// The elements of an optional array section, each with its key.
    private func elements(_ section: String) throws(SnapshotDocumentError) -> [(place: String, key: InstanceKey, value: JSONValue)] {
        guard let value = root[section], !value.isNull else { return [] }
        guard let elements = value.arrayValue else { throw SnapshotDocumentError("\(section): expected an array") }
        var result: [(String, InstanceKey, JSONValue)] = []
        for (index, element) in elements.enumerated() {
            let place = "\(section) #\(index)"
            let reader = JSONFieldReader(object: element, error: InstanceJSONError(document: section, index: index, reason: ""))
            guard case .object = element else { throw SnapshotDocumentError("\(place): expected an object with a Key") }
            do throws(InstanceJSONError) {
                let key = try reader.key("Key", required: true)
                result.append(("\(place) (\(key))", key, element))
            } catch {
                throw SnapshotDocumentError(error.description)
            }
        }
        return result
    }

    func applyBackendState(to instances: inout [Instance], binlogServers: inout Set<InstanceKey>) throws(SnapshotDocumentError) {
        for (place, key, element) in try elements("instanceBackendState") {
            guard let index = instances.firstIndex(where: { $0.key == key }) else {
                throw SnapshotDocumentError("\(place): field Key: no such instance in \"instances\"")
            }
            if let value = element["LastChecked"] { instances[index].lastChecked = try Self.time(value, at: "\(place): field LastChecked") }
            if let value = element["LastSeen"] { instances[index].lastSeen = try Self.time(value, at: "\(place): field LastSeen") }
            if let value = element["LastAttemptedCheck"] {
                instances[index].lastAttemptedCheck = try Self.time(value, at: "\(place): field LastAttemptedCheck")
            }
            if let value = element["LastCheckPartialSuccess"], !value.isNull {
                guard let flag = value.boolValue else { throw SnapshotDocumentError("\(place): field LastCheckPartialSuccess: expected true or false") }
                instances[index].lastCheckPartialSuccess = flag
            }
            if element["IsBinlogServer"]?.boolValue == true { binlogServers.insert(key) }
            if let major = element["MajorVersion"]?.stringValue, !major.isEmpty, instances[index].version.isEmpty {
                instances[index].version = major
            }
        }
    }

    func downtimes() throws(SnapshotDocumentError) -> [Downtime] {
        var result: [Downtime] = []
        for (place, key, element) in try elements("downtime") {
            let begins = try element["BeginsAt"].map { value throws(SnapshotDocumentError) in try Self.time(value, at: "\(place): field BeginsAt") } ?? nil
            let ends = try element["EndsAt"].map { value throws(SnapshotDocumentError) in try Self.time(value, at: "\(place): field EndsAt") } ?? nil
            result.append(Downtime(
                key: key, owner: element["Owner"]?.stringValue ?? "", reason: element["Reason"]?.stringValue ?? "",
                beginsAt: begins ?? .distantPast, endsAt: ends
            ))
        }
        return result
    }

    func maintenance() throws(SnapshotDocumentError) -> Set<InstanceKey> {
        var keys: Set<InstanceKey> = []
        for (_, key, element) in try elements("maintenance") where element["IsActive"]?.boolValue ?? true {
            keys.insert(key)
        }
        return keys
    }

    func staleBinlogCoordinates() throws(SnapshotDocumentError) -> [InstanceKey: StaleBinlogCoordinates] {
        var result: [InstanceKey: StaleBinlogCoordinates] = [:]
        for (place, key, element) in try elements("staleBinlogCoordinates") {
            let reader = JSONFieldReader(object: element, error: InstanceJSONError(document: place, reason: ""))
            let coordinates: BinlogCoordinates
            do { coordinates = try reader.coordinates("BinlogCoordinates") } catch { throw SnapshotDocumentError(error.description) }
            guard let value = element["FirstSeen"], let firstSeen = try Self.time(value, at: "\(place): field FirstSeen") else {
                throw SnapshotDocumentError("\(place): field FirstSeen: missing")
            }
            result[key] = StaleBinlogCoordinates(coordinates: coordinates, firstSeen: firstSeen)
        }
        return result
    }
}
