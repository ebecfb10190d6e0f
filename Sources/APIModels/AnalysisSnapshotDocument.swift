import Foundation
import Topology

/// Why a snapshot file cannot be analysed: names the place (`instances #3 (db1:3306)`,
/// `downtime #0`) and the field.
package struct SnapshotDocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// The input of shadow mode (`orchestrator analyze --snapshot FILE`): either a JSON array of
/// instances exactly as `/api/cluster/…` emits them, or an object that adds what the API JSON
/// lacks (`now`, `config`, `instanceBackendState`, `downtime`, `maintenance`,
/// `staleBinlogCoordinates`). Unknown keys are ignored.
package struct AnalysisSnapshotDocument: Sendable {
    package var snapshot: AnalysisSnapshot
    package var configuration: AnalysisConfiguration

    package static func decode(_ data: Data) throws(SnapshotDocumentError) -> AnalysisSnapshotDocument {
        let root: JSONValue
        do {
            root = try JSONValue(parsing: data)
        } catch {
            throw SnapshotDocumentError("snapshot: not valid JSON: \(error)")
        }
        if let elements = root.arrayValue { return try decode(instances: elements, object: .object([])) }
        guard case .object = root else { throw SnapshotDocumentError("snapshot: expected a JSON array of instances or an object with \"instances\"") }
        guard let elements = root["instances"]?.arrayValue else { throw SnapshotDocumentError("snapshot: field instances: expected an array of instances") }
        return try decode(instances: elements, object: root)
    }

    private static func decode(instances elements: [JSONValue], object: JSONValue) throws(SnapshotDocumentError) -> AnalysisSnapshotDocument {
        var instances: [Instance] = []
        var implicitDowntimes: [InstanceKey: Downtime] = [:]
        var seen: Set<InstanceKey> = []
        for (index, element) in elements.enumerated() {
            let instance: Instance
            do {
                instance = try InstanceJSON.decode(element)
            } catch {
                throw SnapshotDocumentError(error.at(index: index).description.replacingOccurrences(of: "instance #", with: "instances #"))
            }
            if !seen.insert(instance.key).inserted {
                throw SnapshotDocumentError("instances #\(index) (\(instance.key)): field Key: duplicate of an earlier instance")
            }
            if instance.isDowntimed {
                let ends = element["DowntimeEndTimestamp"]?.stringValue.flatMap(APITimestamp.parse)
                implicitDowntimes[instance.key] = Downtime(key: instance.key, beginsAt: .distantPast, endsAt: ends)
            }
            instances.append(instance)
        }
        let reader = SnapshotSectionReader(root: object)
        let configuration = try reader.configuration()
        var binlogServers: Set<InstanceKey> = []
        try reader.applyBackendState(to: &instances, binlogServers: &binlogServers)
        try checkMasterLinks(instances)
        fillPlacements(&instances)
        let now = try reader.time("now") ?? instances.compactMap { [$0.lastChecked, $0.lastSeen, $0.lastAttemptedCheck].compactMap { $0 }.max() }.max() ?? Date()
        var downtimes = implicitDowntimes
        for downtime in try reader.downtimes() { downtimes[downtime.key] = downtime }
        var snapshot = AnalysisSnapshot(
            instances: instances,
            now: now,
            downtimes: downtimes,
            maintenance: try reader.maintenance(),
            staleBinlogCoordinates: try reader.staleBinlogCoordinates(),
            clusterAliases: clusterAliases(instances)
        )
        snapshot.binlogServers = binlogServers
        return AnalysisSnapshotDocument(snapshot: snapshot, configuration: configuration)
    }

    /// A master link that loops back on itself through more than a co-master pair is not a
    /// replication topology (two servers replicating from each other are co-masters).
    private static func checkMasterLinks(_ instances: [Instance]) throws(SnapshotDocumentError) {
        let masters = Dictionary(instances.map { ($0.key, $0.masterKey) }, uniquingKeysWith: { first, _ in first })
        for instance in instances {
            if instance.masterKey == instance.key {
                throw SnapshotDocumentError("instance \(instance.key): field MasterKey: the instance replicates from itself")
            }
            var seen: [InstanceKey] = [instance.key]
            var current = instance.key
            while let next = masters[current], next.isValid, masters[next] != nil {
                if let start = seen.firstIndex(of: next) {
                    let ring = seen[start...]
                    if ring.count > 2, start == 0 {
                        let path = (ring + [next]).map(\.description).joined(separator: " -> ")
                        throw SnapshotDocumentError("instance \(instance.key): field MasterKey: replication cycle \(path)")
                    }
                    break
                }
                seen.append(next)
                current = next
            }
        }
    }

    /// Documents from the API carry cluster names and depths; hand-written ones may not.
    private static func fillPlacements(_ instances: inout [Instance]) {
        guard instances.contains(where: { $0.clusterName.isEmpty }) else { return }
        let masters = Dictionary(instances.map { ($0.key, $0.masterKey.isValid ? Optional($0.masterKey) : nil) }, uniquingKeysWith: { first, _ in first })
        let placements = ClusterMembership.placements(masters: masters)
        for index in instances.indices where instances[index].clusterName.isEmpty {
            guard let placement = placements[instances[index].key] else { continue }
            instances[index].clusterName = placement.clusterName
            instances[index].replicationDepth = placement.depth
            instances[index].isCoMaster = instances[index].isCoMaster || placement.isCoMaster
        }
    }

    /// The alias a cluster's master suggests (`SuggestedClusterAlias`), as orchestrator shows it.
    private static func clusterAliases(_ instances: [Instance]) -> [String: String] {
        var aliases: [String: String] = [:]
        for instance in instances where instance.replicationDepth == 0 && !instance.suggestedClusterAlias.isEmpty {
            aliases[instance.clusterName] = instance.suggestedClusterAlias
        }
        return aliases
    }
}
