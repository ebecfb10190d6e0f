/// What recovering a dead intermediate master will do (`recovery.md` §8): its replicas move under
/// a sibling in its data center, or under its own master, or a sibling elsewhere; when none of
/// these can take them, they regroup under the most advanced of themselves.
package struct IntermediateMasterRecoveryPlan: Sendable, Equatable {
    package var failedIntermediateMaster: InstanceKey
    /// Where the replicas go (`nil` when they regroup).
    package var target: InstanceKey?
    package var reasons: [String]
    /// Set when the replicas regroup among themselves.
    package var regroup: MasterRecoveryPlan?
    package var rewired: [InstanceKey]
    package var lost: [LostReplica]
    package var steps: [RecoveryStep]

    /// The server that took over the intermediate master's role.
    package var successor: InstanceKey? { target ?? regroup?.promoted }
}

package enum IntermediateMasterRecoveryPlanner {
    package static func plan(
        failed: InstanceKey, failedInstance: Instance?, master: Instance?, siblings: [Instance], replicas: [Instance], policy: RecoveryPolicy
    ) throws(NoCandidateError) -> IntermediateMasterRecoveryPlan {
        let replicaProgress = replicas.filter(\.isLastCheckValid).map(ReplicationProgress.init(of:))
        let dataCenter = failedInstance?.dataCenter ?? ""
        var reasons: [String] = []

        // A sibling qualifies when it replicates, logs what it replicates, may be promoted, filters
        // like the failed server, and already holds everything the moving replicas hold.
        let usable = siblings.filter { sibling in
            guard sibling.key != failed, sibling.isLastCheckValid, sibling.isReplicationRunning, sibling.logBinEnabled,
                  sibling.logReplicationUpdatesEnabled, sibling.promotionRule != .mustNot, !policy.isIgnoredForPromotion(sibling.key),
                  sibling.hasReplicationFilters == (failedInstance?.hasReplicationFilters ?? false) else { return false }
            let progress = ReplicationProgress(of: sibling)
            return replicaProgress.allSatisfy { progress.contains($0) == true }
        }.sorted { a, b in
            let isCandidate = { (i: Instance) in i.promotionRule.rank <= PromotionRule.prefer.rank ? 0 : 1 }
            return (isCandidate(a), -a.replicas.count, a.key) < (isCandidate(b), -b.replicas.count, b.key)
        }
        let sameDataCenter = usable.first { !dataCenter.isEmpty && $0.dataCenter == dataCenter }
        let masterUsable = master.map { $0.isLastCheckValid && $0.logBinEnabled && ($0.isReplica ? $0.logReplicationUpdatesEnabled : true) } ?? false

        let target: Instance?
        if let sameDataCenter {
            target = sameDataCenter
            reasons.append("sibling \(sameDataCenter.key) is in the failed server's data center and holds everything its replicas hold")
        } else if masterUsable, let master {
            target = master
            reasons.append("\(master.key), the failed server's master, takes its replicas")
        } else if let sibling = usable.first {
            target = sibling
            reasons.append("sibling \(sibling.key) (another data center) takes the replicas: the master \(master?.key.description ?? "is unknown") cannot")
        } else {
            target = nil
        }

        guard let target else {
            reasons.append("neither the master nor a sibling can take the replicas: they regroup under the most advanced of them")
            let regroup = try MasterRecoveryPlanner.plan(failedMaster: failed, deadMaster: failedInstance, replicas: replicas, policy: policy)
            return IntermediateMasterRecoveryPlan(
                failedIntermediateMaster: failed, target: nil, reasons: reasons + regroup.choice.reasons, regroup: regroup,
                rewired: regroup.rewired, lost: regroup.lost, steps: regroup.steps
            )
        }
        let targetProgress = ReplicationProgress(of: target)
        var rewired: [InstanceKey] = []
        var lost: [LostReplica] = []
        var methods: [RewireMethod: [InstanceKey]] = [:]
        for replica in replicas.sorted(by: { $0.key < $1.key }) {
            let method: RewireMethod = replica.usingMariaDBGTID ? .mariaDBGTID : (replica.usingOracleGTID ? .mysqlGTID : .binlogCoordinates)
            // The target keeps replicating, so for the master and qualifying siblings "holds
            // everything" was checked above; only GTID replicas can move without Pseudo-GTID.
            if method == .binlogCoordinates {
                lost.append(LostReplica(key: replica.key, reason: replica.isLastCheckValid ? "no GTID: cannot be moved without Pseudo-GTID" : "unreachable"))
            } else if let reason = MasterRecoveryPlanner.reasonLost(replica, newMaster: target, newMasterProgress: targetProgress, method: method, policy: policy) {
                lost.append(LostReplica(key: replica.key, reason: reason))
            } else {
                rewired.append(replica.key)
                methods[method, default: []].append(replica.key)
            }
        }
        var steps: [RecoveryStep] = []
        for method in [RewireMethod.mariaDBGTID, .mysqlGTID] {
            if let keys = methods[method] { steps.append(.rewire(keys, under: target.key, method: method)) }
        }
        return IntermediateMasterRecoveryPlan(
            failedIntermediateMaster: failed, target: target.key, reasons: reasons, regroup: nil, rewired: rewired, lost: lost, steps: steps
        )
    }
}
