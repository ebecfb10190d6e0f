/// `regroup-replicas`: one replica of a (possibly dead) master takes over its siblings.
extension RefactoringRules {
    /// `regroup-replicas` (`refactoring.md` §4.12, §1.5): the most advanced eligible replica of
    /// `master` becomes the local master of the others. `master` itself is never touched and may
    /// be dead. Eligible: reachable, recently checked, a readable position, binary log and
    /// `log_slave_updates` on, not a binlog server, not `must_not` nor filtered by
    /// `PromotionIgnoreHostnameFilters`, not delayed, not in maintenance, and no newer version
    /// or larger binlog format than most replicas. The ranking is recovery's
    /// (`ReplicaRanking`), with `master`'s data center.
    ///
    /// Each other replica moves below the candidate when it may replicate from it, is free of
    /// maintenance, was checked recently, holds nothing the candidate lacks, and a method
    /// applies: GTID, or binary log coordinates as siblings — at once when it is at the
    /// candidate's position, or after catching up through `master` when that is reachable.
    /// Refused when no replica is eligible; no replica at all is an empty plan, one replica is
    /// its own candidate with nothing to move.
    package static func regroupReplicas(
        of master: InstanceKey, in snapshot: RefactoringSnapshot, policy: RefactoringPolicy
    ) throws(RefactoringRefusal) -> RegroupPlan {
        let replicas = snapshot.replicas(of: master)
        guard let only = replicas.first else { return RegroupPlan(master: master, candidate: nil) }
        guard replicas.count > 1 else { return RegroupPlan(master: master, candidate: only.key) }

        let masterInstance = snapshot[master]
        let ranked = ReplicaRanking(deadMasterDataCenter: masterInstance?.dataCenter ?? "").sorted(replicas.map(RankedReplica.init))
        var recoveryPolicy = RecoveryPolicy()
        recoveryPolicy.promotionIgnoreHostnameFilters = policy.promotionIgnoreHostnameFilters
        recoveryPolicy.reasonableMaintenanceReplicationLagSeconds = policy.reasonableMaintenanceReplicationLagSeconds
        recoveryPolicy.verifyReplicationFilters = policy.verifyReplicationFilters
        let priorityVersion = CandidateChooser.mostCommon(replicas.compactMap { VersionNumber($0.majorVersion) })
        let priorityFormat = CandidateChooser.mostCommon(replicas.compactMap { BinlogFormat($0.binlogFormat) })

        var excluded: [Exclusion] = []
        var chosen: RankedReplica?
        for replica in ranked {
            var reasons = CandidateChooser.exclusionReasons(
                replica, deadMaster: nil, policy: recoveryPolicy, priorityVersion: priorityVersion, priorityFormat: priorityFormat
            )
            if replica.instance.isBinlogServer { reasons.append("binlog server") }
            if let lock = snapshot.activeMaintenance(on: replica.key) { reasons.append(lock.description) }
            if replica.instance.lastChecked != nil, !replica.instance.isRecentlyChecked(now: snapshot.now, pollSeconds: policy.instancePollSeconds) {
                reasons.append("not checked within 5 × InstancePollSeconds")
            }
            if reasons.isEmpty, chosen == nil {
                chosen = replica
            } else if !reasons.isEmpty {
                excluded.append(Exclusion(key: replica.key, reasons: reasons))
            }
        }
        guard let candidate = chosen else {
            throw RefactoringRefusal(
                operation: .regroupReplicas(of: master),
                reasons: ["no replica of \(master) can take over its siblings"] + excluded.map(\.description)
            )
        }

        var moves: [Relocation] = []
        var lost: [LostReplica] = []
        let masterReachable = masterInstance?.isLastCheckValid == true
        for replica in ranked where replica.key != candidate.key {
            var check = RefactoringCheck(snapshot, policy)
            check.canReplicate(replica.instance, from: candidate.instance)
            check.notInMaintenance(replica.key)
            check.require(.canMoveViaMatch, of: replica.instance)
            let method = regroupMethod(replica, below: candidate, masterReachable: masterReachable, &check)
            let reasons = check.reasons
            if let method, reasons.isEmpty {
                moves.append(Relocation(instance: replica.key, target: candidate.key, method: method, currentMaster: master))
            } else {
                lost.append(LostReplica(key: replica.key, reason: reasons.joined(separator: "; ")))
            }
        }
        moves.sort { $0.instance < $1.instance }
        lost.sort { $0.key < $1.key }
        return RegroupPlan(master: master, candidate: candidate.key, moves: moves, lost: lost, excluded: excluded)
    }

    /// How `replica` goes below its sibling `candidate`, or `nil` with the reasons it cannot.
    private static func regroupMethod(
        _ replica: RankedReplica, below candidate: RankedReplica, masterReachable: Bool, _ check: inout RefactoringCheck
    ) -> RelocationMethod? {
        let r = replica.key, c = candidate.key
        switch candidate.progress.contains(replica.progress) {
        case false?:
            check.shape("\(r) holds transactions \(c) lacks: \(candidate.progress.missing(from: replica.progress) ?? "")")
            return nil
        case nil:
            check.shape("the positions of \(r) (\(replica.progress)) and \(c) (\(candidate.progress)) cannot be compared")
            return nil
        case true?:
            break
        }
        if let gtid = RelocationMethod.gtidMethod(replica: replica.instance, source: candidate.instance) {
            if gtid == .mysqlGTID, let missing = RelocationMethod.purgedGTIDsMissing(replica: replica.instance, source: candidate.instance) {
                check.shape(missing)
                return nil
            }
            return gtid
        }
        let atSamePosition = replica.progress.contains(candidate.progress) == true
        if atSamePosition || masterReachable { return .moveBelowSibling }
        check.shape("\(r) is behind \(c) and does not replicate with GTID; it could only catch up through its master, which is not reachable")
        return nil
    }
}
