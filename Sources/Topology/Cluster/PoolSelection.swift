/// orchestrator's pools over one cluster (`api.md` §7.13): which of the cluster's instances
/// an operator put in which pool, and the heuristic view a load balancer would use.
package enum PoolSelection {
    /// The cluster's members of each pool (only `pool` when given), pools with no member of the
    /// cluster left out.
    package static func clusterPools(_ cluster: [Instance], pools: [String: [InstanceKey]], pool: String? = nil) -> [String: [InstanceKey]] {
        let members = Set(cluster.map(\.key))
        var result: [String: [InstanceKey]] = [:]
        for (name, keys) in pools where pool == nil || pool == name {
            let inCluster = keys.filter(members.contains).sorted()
            if !inCluster.isEmpty { result[name] = inCluster }
        }
        return result
    }

    /// Pooled instances of the cluster fit to serve: last check valid, not a binlog server,
    /// sorted by key.
    package static func heuristicInstances(_ cluster: [Instance], pools: [String: [InstanceKey]], pool: String? = nil) -> [Instance] {
        let pooled = Set(clusterPools(cluster, pools: pools, pool: pool).values.joined())
        return cluster.filter { pooled.contains($0.key) && $0.isLastCheckValid && !$0.isBinlogServer }.sorted { $0.key < $1.key }
    }

    /// The largest replication lag among those instances, in seconds (0 when none lags or none
    /// is pooled).
    package static func heuristicLag(_ cluster: [Instance], pools: [String: [InstanceKey]], pool: String? = nil) -> Int64 {
        heuristicInstances(cluster, pools: pools, pool: pool).map { $0.replicationLagSeconds ?? $0.secondsBehindMaster ?? 0 }.max() ?? 0
    }
}
