import Foundation
import Store
import Topology

extension RecoveryService {
    /// `recovery.md` §8: the replicas of a dead intermediate master move under a sibling in its
    /// data center, its master, or another sibling (GTID), or regroup under the most advanced of
    /// themselves.
    func recoverDeadIntermediateMaster(_ entry: ReplicationAnalysis, record: TopologyRecovery, journal: RecoveryJournal, skipProcesses: Bool) async -> TopologyRecovery {
        var record = record
        let failed = entry.analyzedInstanceKey
        let successHooks = (name: "PostIntermediateMasterFailoverProcesses", commands: configuration.postIntermediateMasterFailoverProcesses)
        // Read before any hook runs or any server is touched: without them a `must_not`
        // replica could be promoted.
        let rules: [InstanceKey: PromotionRule]
        do {
            rules = try await promotionRules()
        } catch {
            await journal.fail("cannot read the promotion rules, so no replica is moved: \(error)")
            return await resolve(record, entry: entry, journal: journal, skipProcesses: skipProcesses, successHooks: successHooks)
        }
        if let vetoed = await begin(entry, record: record, journal: journal, skipProcesses: skipProcesses, successHooks: successHooks) {
            return vetoed
        }
        let failedInstance = await registry.instance(failed)
        let masterKey = failedInstance?.masterKey ?? entry.analyzedInstanceMasterKey
        let replicaKeys = await registry.replicas(of: failed).map(\.key)
        let siblingKeys = masterKey.isValid ? await registry.replicas(of: masterKey).map(\.key).filter { $0 != failed } : []
        let fresh = applying(rules, to: await refreshAll(replicaKeys + siblingKeys + (masterKey.isValid ? [masterKey] : [])))
        let byKey = Dictionary(fresh.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let plan: IntermediateMasterRecoveryPlan
        do {
            plan = try IntermediateMasterRecoveryPlanner.plan(
                failed: failed, failedInstance: failedInstance, master: byKey[masterKey], siblings: siblingKeys.compactMap { byKey[$0] },
                replicas: replicaKeys.compactMap { byKey[$0] }, policy: configuration.policy
            )
        } catch {
            await journal.fail(error.description)
            return await resolve(record, entry: entry, journal: journal, skipProcesses: skipProcesses, successHooks: successHooks)
        }
        if let regroup = plan.regroup {
            // Nobody upstream can take the replicas: promote one of them as a new (sub)master.
            await journal.record("plan: \(plan.reasons.first ?? "regroup"); \(Self.summary(of: regroup))")
            var regrouped = await recoverDeadMaster(entry, record: record, journal: journal, skipProcesses: true, candidate: nil)
            regrouped.type = record.type
            return regrouped
        }
        record.planSummary = plan.reasons.joined(separator: "; ")
            + "; rewire \(plan.rewired.isEmpty ? "none" : plan.rewired.map(\.description).joined(separator: ", "))"
            + (plan.lost.isEmpty ? "" : "; lost: " + plan.lost.map(\.description).joined(separator: "; "))
        await journal.record("plan: \(record.planSummary)")
        var lost = plan.lost.map(\.key)
        var moved: [InstanceKey] = []
        for step in plan.steps {
            guard case .rewire(let keys, let target, let method) = step else { continue }
            guard await fenceHolds(journal) else { break }
            await journal.record(step.description)
            let failures = await rewire(keys, under: target, method: method, coordinates: nil, journal: journal)
            lost += failures
            moved += keys.filter { !failures.contains($0) }
        }
        if let target = plan.target, !moved.isEmpty {
            record.successor = target
            record.successorAlias = byKey[target]?.instanceAlias ?? ""
        } else if plan.target != nil {
            await journal.fail("no replica of \(failed) could be moved")
        }
        record.participatingInstances = (plan.target.map { [$0] } ?? []) + moved
        record.lostReplicas = lost
        refreshInBackground(replicaKeys)
        return await resolve(record, entry: entry, journal: journal, skipProcesses: skipProcesses, successHooks: successHooks)
    }
}
