/// Why a graceful (or forced) takeover cannot hand mastership to a replica; decided before
/// anything on the servers changes.
package enum TakeoverRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case noReplicas(master: InstanceKey)
    /// Several replicas could take over and none was designated (and not `-auto`).
    case severalReplicas(master: InstanceKey, count: Int)
    case notDirectReplica(InstanceKey, master: InstanceKey)
    /// The designated (or chosen) replica may not become the master, for every reason listed.
    case notPromotable(InstanceKey, reasons: [String])
    /// `-auto` found no replica a failover would promote.
    case noCandidate(NoCandidateError)

    package var description: String {
        switch self {
        case .noReplicas(let master):
            return "\(master) has no replicas to hand mastership to"
        case .severalReplicas(let master, let count):
            return "\(master) has \(count) direct replicas and none was designated: name one (graceful-master-takeover CLUSTER HOST PORT), or use graceful-master-takeover-auto"
        case .notDirectReplica(let designated, let master):
            return "\(designated) is not a direct replica of the master \(master)"
        case .notPromotable(let key, let reasons):
            return "\(key) may not take over as master: " + reasons.joined(separator: "; ")
        case .noCandidate(let error):
            return error.description
        }
    }
}

/// Which replica takes over in a planned takeover (`recovery.md` §13 steps 3–5): the designated
/// one, else the only direct replica, else (auto) the one a failover would promote; never one
/// the promotion rules, the ignore filters or the data-center/region fences forbid.
package enum TakeoverDesignation {
    package static func choose(
        master: Instance, replicas: [Instance], designated: InstanceKey?, auto: Bool, policy: RecoveryPolicy
    ) throws(TakeoverRefusal) -> Instance {
        guard !replicas.isEmpty else { throw .noReplicas(master: master.key) }
        let chosen: Instance
        if let designated {
            guard let found = replicas.first(where: { $0.key == designated }) else {
                throw .notDirectReplica(designated, master: master.key)
            }
            chosen = found
        } else if replicas.count == 1, let only = replicas.first {
            chosen = only
        } else if auto {
            let plan: MasterRecoveryPlan
            do throws(NoCandidateError) {
                plan = try MasterRecoveryPlanner.plan(failedMaster: master.key, deadMaster: master, replicas: replicas, policy: policy)
            } catch {
                throw .noCandidate(error)
            }
            guard let found = replicas.first(where: { $0.key == plan.promoted }) else {
                throw .noCandidate(NoCandidateError(failedMaster: master.key, excluded: []))
            }
            chosen = found
        } else {
            throw .severalReplicas(master: master.key, count: replicas.count)
        }
        let reasons = banReasons(chosen, master: master, policy: policy)
        guard reasons.isEmpty else { throw .notPromotable(chosen.key, reasons: reasons) }
        return chosen
    }

    /// Every reason `replica` may not replace `master`, in a stable order.
    package static func banReasons(_ replica: Instance, master: Instance, policy: RecoveryPolicy) -> [String] {
        var reasons: [String] = []
        if replica.promotionRule == .mustNot { reasons.append("promotion rule must_not") }
        if policy.isIgnoredForPromotion(replica.key) { reasons.append("matches PromotionIgnoreHostnameFilters") }
        if !replica.logBinEnabled { reasons.append("no binary log, so the old master could not replicate from it") }
        if policy.preventCrossDataCenterMasterFailover, replica.dataCenter != master.dataCenter {
            reasons.append("data center \(shown(replica.dataCenter)) differs from the master's \(shown(master.dataCenter)) (PreventCrossDataCenterMasterFailover)")
        }
        if policy.preventCrossRegionMasterFailover, replica.region != master.region {
            reasons.append("region \(shown(replica.region)) differs from the master's \(shown(master.region)) (PreventCrossRegionMasterFailover)")
        }
        return reasons
    }

    private static func shown(_ text: String) -> String { text.isEmpty ? "(none)" : text }
}
