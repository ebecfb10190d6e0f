import Foundation
import Store
import Topology

extension RecoveryService {
    /// If the master `entry` analyses died now: the plan the daemon would run, from the same
    /// planner and the registry's current facts, and what would block it. Touches nothing.
    package func previewMasterRecovery(_ entry: ReplicationAnalysis) async -> (plan: Result<MasterRecoveryPlan, NoCandidateError>, blockers: [String]) {
        let failed = entry.analyzedInstanceKey
        let master = await registry.instance(failed)
        var unreadable: [String] = []
        var rules: [InstanceKey: PromotionRule] = [:]
        do { rules = try await promotionRules() } catch { unreadable.append("cannot read the promotion rules: \(error)") }
        let replicas = applying(rules, to: await registry.replicas(of: failed))
        let plan = Result { () throws(NoCandidateError) in
            try MasterRecoveryPlanner.plan(failedMaster: failed, deadMaster: master, replicas: replicas, policy: configuration.policy)
        }
        // What cannot be read is a blocker too: the live path stops on it.
        var disabled = false
        do { disabled = try await store.areGlobalRecoveriesDisabled() } catch { unreadable.append("cannot read whether recoveries are disabled: \(error)") }
        var active: [TopologyRecovery] = []
        do { active = try await store.recoveriesInActivePeriod() } catch { unreadable.append("cannot read the recoveries in their active period: \(error)") }
        let blockers = unreadable + RecoveryGate.blockers(RecoveryGate.Facts(
            failed: failed, clusterName: entry.clusterDetails.clusterName, clusterAlias: entry.clusterDetails.clusterAlias, isMaster: true,
            hasAutomatedRecovery: entry.clusterDetails.hasAutomatedMasterRecovery, globallyDisabled: disabled, isDowntimed: entry.skippableDueToDowntime,
            activeRecoveries: active
        ))
        return (plan, blockers)
    }

    /// `force-master-failover` / `force-master-takeover`: fail over a master that may well be
    /// alive. It is made read-only first (best effort) so it stops taking writes the new master
    /// would never see; then the dead-master recovery runs, forced.
    package func forceMasterFailover(_ entry: ReplicationAnalysis, commandHint: String, candidate: InstanceKey? = nil) async -> RecoveryResult {
        var entry = entry
        entry.analysis = .deadMaster
        entry.commandHint = commandHint
        do {
            try await operations.setReadOnly(entry.analyzedInstanceKey, true)
        } catch {
            logger.warning("cannot make the old master read-only before a forced failover", metadata: [
                "instance": "\(entry.analyzedInstanceKey)", "error": "\(error)",
            ])
        }
        return await recover(entry, forced: true, candidate: candidate)
    }
}
