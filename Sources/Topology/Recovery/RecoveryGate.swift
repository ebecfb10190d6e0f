/// What would stop an automatic recovery of a failed instance right now (`recovery.md` §2, §4,
/// §11): cluster filters, global disable, downtime, anti-flapping. Every reason is reported.
package enum RecoveryGate {
    package struct Facts: Sendable {
        package var failed: InstanceKey
        package var clusterName: String
        package var clusterAlias: String
        package var isMaster: Bool
        /// The cluster matches `RecoverMasterClusterFilters` (or the intermediate-master filters).
        package var hasAutomatedRecovery: Bool
        package var globallyDisabled: Bool
        /// The analysis marks the problem skippable for downtime: the instance is downtimed, or
        /// every replica a replica-centric problem concerns is.
        package var isDowntimed: Bool
        /// Recoveries still in their active period, any cluster.
        package var activeRecoveries: [TopologyRecovery]

        package init(
            failed: InstanceKey, clusterName: String, clusterAlias: String, isMaster: Bool, hasAutomatedRecovery: Bool,
            globallyDisabled: Bool, isDowntimed: Bool, activeRecoveries: [TopologyRecovery]
        ) {
            self.failed = failed
            self.clusterName = clusterName
            self.clusterAlias = clusterAlias
            self.isMaster = isMaster
            self.hasAutomatedRecovery = hasAutomatedRecovery
            self.globallyDisabled = globallyDisabled
            self.isDowntimed = isDowntimed
            self.activeRecoveries = activeRecoveries
        }
    }

    package static func blockers(_ facts: Facts) -> [String] {
        var blockers: [String] = []
        if !facts.hasAutomatedRecovery {
            let key = facts.isMaster ? "RecoverMasterClusterFilters" : "RecoverIntermediateMasterClusterFilters"
            blockers.append("cluster \(facts.clusterName) does not match \(key)")
        }
        if facts.globallyDisabled { blockers.append("recoveries are globally disabled") }
        if facts.isDowntimed { blockers.append("\(facts.failed) (or every replica its problem concerns) is downtimed") }
        for recovery in facts.activeRecoveries where recovery.key == facts.failed && recovery.endRecovery == nil {
            blockers.append("recovery \(recovery.id) of \(facts.failed) is running now")
        }
        for recovery in blockingRecoveries(of: facts.failed, clusterName: facts.clusterName, active: facts.activeRecoveries) {
            if recovery.successor == facts.failed {
                blockers.append("\(facts.failed) was promoted by recovery \(recovery.id) (\(recovery.analysis) on \(recovery.key)), still in its block period: acknowledge it first")
            } else if recovery.key == facts.failed {
                blockers.append("recovery \(recovery.id) of \(facts.failed) is still in its block period")
            } else {
                blockers.append("recovery \(recovery.id) (\(recovery.analysis) on \(recovery.key)) of this cluster is still in its block period")
            }
        }
        return blockers
    }

    /// Anti-flapping (`recovery.md` §11): the recoveries still in their active period that stop
    /// a new recovery of `failed` — one that promoted it, a finished one of the same instance
    /// not yet acknowledged, and any other of its cluster. The store applies this inside the
    /// transaction that registers a recovery, so the check and the insert are one step; the
    /// preview and the CLI show the same answer. A forced recovery (operator) skips it.
    package static func blockingRecoveries(
        of failed: InstanceKey, clusterName: String, active: [TopologyRecovery], blockOnRecentSuccessor: Bool = true, blockOnActiveCluster: Bool = true
    ) -> [TopologyRecovery] {
        active.filter { recovery in
            if blockOnRecentSuccessor, recovery.successor == failed { return true }
            if blockOnRecentSuccessor, recovery.key == failed, recovery.endRecovery != nil { return true }
            if blockOnActiveCluster, recovery.clusterName == clusterName, recovery.key != failed { return true }
            return false
        }.sorted { $0.id < $1.id }
    }
}
