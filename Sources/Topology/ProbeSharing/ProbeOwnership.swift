/// Which node probes which cluster when the nodes divide the probes among themselves
/// (`DivideProbesAmongNodes`): rendezvous (highest-random-weight) hashing of the cluster's
/// identity over the live nodes. Every node computes the same answer from the same node list,
/// with no coordination beyond that list; a node that leaves gives up only its own clusters
/// (each goes to the node that was second for it), and a node that joins takes about 1/N of
/// them, from every other node alike.
package enum ProbeOwnership {
    /// What a cluster is known by for ownership: its name (the master's key) once known,
    /// otherwise the instance's own key (a just-discovered instance, not yet placed).
    package static func identity(clusterName: String, key: InstanceKey) -> String {
        clusterName.isEmpty ? key.description : clusterName
    }

    /// The node that owns `identity` among `nodes` (node names, any order, duplicates
    /// ignored); `nil` when there are none.
    package static func owner(of identity: String, among nodes: [String]) -> String? {
        var best: (node: String, weight: UInt64)?
        for node in nodes {
            let weight = self.weight(node: node, identity: identity)
            // Ties (vanishingly rare) go to the smaller name, so every node agrees.
            if best == nil || weight > best!.weight || (weight == best!.weight && node < best!.node) { best = (node, weight) }
        }
        return best?.node
    }

    /// The node's weight for a cluster: a stable hash of both, never Swift's per-process `Hasher`.
    package static func weight(node: String, identity: String) -> UInt64 {
        StableHash.mix(StableHash.of(node) ^ StableHash.of(identity))
    }

    /// How many of `identities` each node owns (every node of `nodes` appears, maybe with 0).
    package static func counts(of identities: some Sequence<String>, among nodes: [String]) -> [String: Int] {
        var counts = Dictionary(uniqueKeysWithValues: Set(nodes).map { ($0, 0) })
        for identity in identities {
            if let owner = owner(of: identity, among: nodes) { counts[owner, default: 0] += 1 }
        }
        return counts
    }
}
