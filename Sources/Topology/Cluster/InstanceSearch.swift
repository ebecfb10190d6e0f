import Foundation

/// orchestrator's `search`: an instance matches when its host, cluster name, version, version
/// comment, `host:port` or suggested cluster alias contains the text, or its server id or port
/// equals it. Empty text matches everything.
package enum InstanceSearch {
    package static func matches(_ instance: Instance, text rawText: String) -> Bool {
        let text = rawText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return true }
        let fields = [
            instance.key.hostname, instance.clusterName, instance.version, instance.versionComment,
            instance.key.description, instance.suggestedClusterAlias,
        ]
        if fields.contains(where: { $0.contains(text) }) { return true }
        guard let number = Int64(text) else { return false }
        return instance.serverID == number || Int64(instance.key.port) == number
    }
}

/// orchestrator's `cluster-osc-replicas`: a short list of replicas suited as control replicas
/// for an online schema change — the (at most two) busiest first-level intermediate masters,
/// up to two replicas of each, up to two third-level replicas, and up to two first-level
/// replicas with no replicas of their own.
package enum OSCReplicaChoice {
    package static func choose(in cluster: [Instance]) -> [Instance] {
        // Replicas by master, from each instance's own master (what probes of replicas say).
        let children = Dictionary(grouping: cluster.filter { $0.masterKey.port != 0 }, by: \.masterKey)
        let count = { (instance: Instance) in children[instance.key]?.count ?? 0 }
        let firstLevel = cluster.filter { $0.replicationDepth == 1 }
        let intermediate = firstLevel.filter { count($0) > 0 }.sorted { (count($0), $1.key) > (count($1), $0.key) }.prefix(2)
        var chosen: [Instance] = Array(intermediate)
        for master in intermediate {
            chosen += (children[master.key] ?? []).sorted { $0.key < $1.key }.prefix(2)
        }
        chosen += cluster.filter { $0.replicationDepth == 3 }.sorted { $0.key < $1.key }.prefix(2)
        chosen += firstLevel.filter { count($0) == 0 }.sorted { $0.key < $1.key }.prefix(2)
        var seen: Set<InstanceKey> = []
        return chosen.filter { seen.insert($0.key).inserted }
    }
}
