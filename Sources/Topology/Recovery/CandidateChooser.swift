/// Chooses the replica to promote when a master dies (`recovery.md` §5.3–5.6, §6): the most
/// advanced replica that may be promoted, unless one with a better promotion rule or in the dead
/// master's data center may be, in which case that one is promoted after catching up from the
/// most advanced one (two steps, nothing received is lost).
package enum CandidateChooser {
    package static func choose(
        failedMaster: InstanceKey, deadMaster: Instance?, replicas: [Instance], policy: RecoveryPolicy
    ) throws(NoCandidateError) -> CandidateChoice {
        let dataCenter = deadMaster?.dataCenter ?? ""
        let ranking = ReplicaRanking(deadMasterDataCenter: dataCenter)
        let ranked = ranking.sorted(replicas.map(RankedReplica.init))
        let priorityVersion = mostCommon(replicas.compactMap { VersionNumber($0.majorVersion) })
        let priorityFormat = mostCommon(replicas.compactMap { BinlogFormat($0.binlogFormat) })

        var excluded: [Exclusion] = []
        var eligible: [RankedReplica] = []
        for replica in ranked {
            let reasons = exclusionReasons(
                replica, deadMaster: deadMaster, policy: policy, priorityVersion: priorityVersion, priorityFormat: priorityFormat
            )
            if reasons.isEmpty { eligible.append(replica) } else { excluded.append(Exclusion(key: replica.key, reasons: reasons)) }
        }
        guard let first = eligible.first else { throw NoCandidateError(failedMaster: failedMaster, excluded: excluded) }

        var reasons: [String] = []
        var promoted = first
        var decidedBy = eligible.count > 1 ? ranking.decidingCriterion(first, eligible[1])?.name ?? "only candidate" : "only candidate"
        // A better promotion rule, then the dead master's data center, outweigh being most
        // advanced: such a replica is promoted after catching up (the second step).
        if let preferred = eligible.min(by: { preference($0, dataCenter) < preference($1, dataCenter) }),
           preference(preferred, dataCenter) < preference(first, dataCenter) {
            promoted = preferred
            decidedBy = preferred.instance.promotionRule.rank < first.instance.promotionRule.rank
                ? "promotion rule \(preferred.instance.promotionRule.rawValue)" : "same data center as the failed master"
            reasons.append("\(preferred.key) is preferred over the more advanced \(first.key): \(decidedBy)")
        } else {
            reasons.append("\(first.key) ranks first among \(eligible.count) promotable replica\(eligible.count == 1 ? "" : "s"): \(decidedBy)")
        }

        // The most advanced server that can feed the promoted one: banned replicas qualify, since
        // they only relay transactions and never take writes.
        var relay: InstanceKey?
        if let source = ranked.first(where: { canRelay($0) }), source.key != promoted.key, promoted.progress.contains(source.progress) != true {
            let violations = ReplicationRules.violations(replica: promoted.instance, source: source.instance, policy: policy)
            if violations.isEmpty {
                relay = source.key
                reasons.append("\(promoted.key) first catches up from \(source.key), which holds more: \(promoted.progress.missing(from: source.progress) ?? "not comparable")")
            } else {
                reasons.append("\(source.key) is more advanced but \(promoted.key) cannot replicate from it: \(violations.joined(separator: "; "))")
            }
        }
        for exclusion in excluded { reasons.append("not promotable: \(exclusion)") }
        return CandidateChoice(
            promoted: promoted.key, relay: relay, decidedBy: decidedBy, reasons: reasons, ranking: ranked.map(\.key), excluded: excluded
        )
    }

    /// Lower is preferred: promotion rule, then the dead master's data center.
    private static func preference(_ replica: RankedReplica, _ dataCenter: String) -> Int {
        let rule = min(replica.instance.promotionRule.rank, PromotionRule.neutral.rank)
        let sameDataCenter = dataCenter.isEmpty || replica.instance.dataCenter == dataCenter
        return rule * 2 + (sameDataCenter ? 0 : 1)
    }

    private static func canRelay(_ replica: RankedReplica) -> Bool {
        let instance = replica.instance
        if case .unknown = replica.progress { return false }
        return instance.isLastCheckValid && instance.logBinEnabled && instance.logReplicationUpdatesEnabled
    }

    static func exclusionReasons(
        _ replica: RankedReplica, deadMaster: Instance?, policy: RecoveryPolicy, priorityVersion: VersionNumber?, priorityFormat: BinlogFormat?
    ) -> [String] {
        let instance = replica.instance
        var reasons: [String] = []
        if !instance.isLastCheckValid { reasons.append("unreachable at its last check") }
        if case .unknown(let why) = replica.progress { reasons.append("replication position unknown: \(why)") }
        if !instance.logBinEnabled { reasons.append("no binary log") }
        if instance.logBinEnabled, !instance.logReplicationUpdatesEnabled { reasons.append("log_slave_updates is off") }
        if instance.promotionRule == .mustNot { reasons.append("promotion rule must_not") }
        if policy.isIgnoredForPromotion(instance.key) { reasons.append("matches PromotionIgnoreHostnameFilters") }
        if instance.sqlDelay > 0 { reasons.append("delayed replica (SQL_Delay \(instance.sqlDelay) s)") }
        if let priorityVersion, let version = VersionNumber(instance.majorVersion), priorityVersion < version {
            reasons.append("version \(instance.majorVersion) is newer than most replicas'")
        }
        if let priorityFormat, let format = BinlogFormat(instance.binlogFormat), priorityFormat < format {
            reasons.append("binlog format \(instance.binlogFormat) is larger than most replicas'")
        }
        if let deadMaster {
            if policy.preventCrossDataCenterMasterFailover, instance.dataCenter != deadMaster.dataCenter {
                reasons.append("data center \(instance.dataCenter.isEmpty ? "(none)" : instance.dataCenter) differs from the failed master's (PreventCrossDataCenterMasterFailover)")
            }
            if policy.preventCrossRegionMasterFailover, instance.region != deadMaster.region {
                reasons.append("region \(instance.region.isEmpty ? "(none)" : instance.region) differs from the failed master's (PreventCrossRegionMasterFailover)")
            }
        }
        if policy.failMasterPromotionOnLagMinutes > 0, let lag = instance.replicationLagSeconds ?? instance.secondsBehindMaster,
           lag >= policy.failMasterPromotionOnLagMinutes * 60 {
            reasons.append("lagging \(lag) s (FailMasterPromotionOnLagMinutes \(policy.failMasterPromotionOnLagMinutes))")
        }
        return reasons
    }

    /// The most frequent value; ties go to the smallest.
    static func mostCommon<T: Comparable>(_ values: [T]) -> T? {
        var best: (value: T, count: Int)?
        for value in values {
            let count = values.filter { $0 == value }.count
            if let current = best, current.count > count || (current.count == count && current.value < value) { continue }
            best = (value, count)
        }
        return best?.value
    }
}
