/// What recovering a dead master will do: whom to promote, which replicas follow it, which are
/// lost and why, and the steps in order. A pure value, computed from what the probes saw.
package struct MasterRecoveryPlan: Sendable, Equatable {
    package var failedMaster: InstanceKey
    package var choice: CandidateChoice
    package var method: RewireMethod
    /// Replicas that will replicate from the promoted one (the relay of a two-step promotion included).
    package var rewired: [InstanceKey]
    package var lost: [LostReplica]
    package var steps: [RecoveryStep]

    package var promoted: InstanceKey { choice.promoted }
}

/// Plans the recovery of a dead master from its replicas' latest state.
package enum MasterRecoveryPlanner {
    package static func plan(
        failedMaster: InstanceKey, deadMaster: Instance?, replicas: [Instance], policy: RecoveryPolicy
    ) throws(NoCandidateError) -> MasterRecoveryPlan {
        let choice = try CandidateChooser.choose(failedMaster: failedMaster, deadMaster: deadMaster, replicas: replicas, policy: policy)
        let byKey = Dictionary(replicas.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        guard let promoted = byKey[choice.promoted] else { throw NoCandidateError(failedMaster: failedMaster, excluded: choice.excluded) }
        let method: RewireMethod = promoted.usingMariaDBGTID ? .mariaDBGTID : (promoted.usingOracleGTID ? .mysqlGTID : .binlogCoordinates)
        // Once caught up, the new master holds what the relay held (or what it held itself).
        let newMasterProgress = ReplicationProgress(of: choice.relay.flatMap { byKey[$0] } ?? promoted)

        var rewired: [InstanceKey] = []
        var lost: [LostReplica] = []
        for replica in replicas.sorted(by: { $0.key < $1.key }) where replica.key != promoted.key {
            if let reason = reasonLost(replica, newMaster: promoted, newMasterProgress: newMasterProgress, method: method, policy: policy) {
                lost.append(LostReplica(key: replica.key, reason: reason))
            } else {
                rewired.append(replica.key)
            }
        }

        var steps: [RecoveryStep] = [.stopIOThreads(replicas.filter(\.isLastCheckValid).map(\.key).sorted())]
        if let relay = choice.relay { steps.append(.catchUp(promoted.key, from: relay)) }
        steps.append(.applyRelayLog(promoted.key))
        steps.append(.promote(promoted.key))
        if !rewired.isEmpty { steps.append(.rewire(rewired, under: promoted.key, method: method)) }
        let detachable = lost.map(\.key).filter { byKey[$0]?.isLastCheckValid == true }
        if policy.detachLostReplicasAfterMasterFailover, !detachable.isEmpty { steps.append(.detachLost(detachable)) }
        return MasterRecoveryPlan(failedMaster: failedMaster, choice: choice, method: method, rewired: rewired, lost: lost, steps: steps)
    }

    /// Why `replica` cannot follow `newMaster`, or `nil` when it can.
    static func reasonLost(
        _ replica: Instance, newMaster: Instance, newMasterProgress: ReplicationProgress, method: RewireMethod, policy: RecoveryPolicy
    ) -> String? {
        guard replica.isLastCheckValid else { return "unreachable" }
        let violations = ReplicationRules.violations(replica: replica, source: newMaster, policy: policy)
        if !violations.isEmpty { return "cannot replicate from \(newMaster.key): \(violations.joined(separator: "; "))" }
        let progress = ReplicationProgress(of: replica)
        switch method {
        case .mariaDBGTID:
            guard replica.usingMariaDBGTID else { return "does not use MariaDB GTID" }
        case .mysqlGTID:
            guard replica.usingOracleGTID else { return "does not use GTID auto-positioning" }
            if let purged = try? MySQLGTIDSet(parsing: newMaster.gtidPurged), let executed = try? MySQLGTIDSet(parsing: replica.executedGtidSet),
               !purged.subtracting(executed).isEmpty {
                return "\(newMaster.key) purged transactions it never applied: \(purged.subtracting(executed))"
            }
        case .binlogCoordinates:
            guard progress.contains(newMasterProgress) == true, newMasterProgress.contains(progress) == true else {
                return "no GTID, and not at the new master's position (\(progress) vs \(newMasterProgress))"
            }
            return nil
        }
        switch newMasterProgress.contains(progress) {
        case true: return nil
        case false: return "holds transactions the new master lacks: \(newMasterProgress.missing(from: progress) ?? "")"
        case nil: return "its position \(progress) cannot be compared with the new master's \(newMasterProgress)"
        }
    }
}
