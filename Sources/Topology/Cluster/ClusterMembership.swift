/// Where one instance sits in its cluster.
package struct ClusterPlacement: Sendable, Equatable {
    /// `host:port` of the cluster's top master (the smaller key of a co-master pair).
    package var clusterName: String
    package var masterKey: InstanceKey
    package var depth: Int
    package var isCoMaster: Bool
}

/// Computes cluster membership from master links: a cluster is named after the master at the
/// top of the chain. orchestrator propagates this one hop per probe; computing it from the whole
/// picture gives the same answer at once.
package enum ClusterMembership {
    /// - Parameter masters: every known instance's configured master (`nil` when not a replica).
    package static func placements(masters: [InstanceKey: InstanceKey?]) -> [InstanceKey: ClusterPlacement] {
        var result: [InstanceKey: ClusterPlacement] = [:]
        for key in masters.keys {
            var chain: [InstanceKey] = [key]
            var seen: Set<InstanceKey> = [key]
            var current = key
            var cycleStart: InstanceKey?
            while let next = masters[current] ?? nil, masters[next] != nil {
                if seen.contains(next) { cycleStart = next; break }
                chain.append(next)
                seen.insert(next)
                current = next
            }
            if let cycleStart, let startIndex = chain.firstIndex(of: cycleStart) {
                // A ring (co-masters): the ring members form the top; name it after its smallest key.
                let ring = chain[startIndex...]
                let top = ring.min() ?? cycleStart
                let depth = startIndex
                result[key] = ClusterPlacement(
                    clusterName: top.description, masterKey: top, depth: depth, isCoMaster: startIndex == 0
                )
            } else {
                let top = chain[chain.count - 1]
                result[key] = ClusterPlacement(
                    clusterName: top.description, masterKey: top, depth: chain.count - 1, isCoMaster: false
                )
            }
        }
        return result
    }
}
