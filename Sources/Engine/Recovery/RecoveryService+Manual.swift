import Foundation
import Store
import Topology

extension RecoveryService {
    /// If the master `entry` analyses died now: the plan the daemon would run, from the same
    /// planner and the registry's current facts, and what would block it. Touches nothing.
    package func previewMasterRecovery(_ entry: ReplicationAnalysis) async -> (plan: Result<MasterRecoveryPlan, NoCandidateError>, blockers: [String]) {
        let failed = entry.analyzedInstanceKey
        let master = await registry.instance(failed)
        let replicas = await withPromotionRules(await registry.replicas(of: failed))
        let plan = Result { () throws(NoCandidateError) in
            try MasterRecoveryPlanner.plan(failedMaster: failed, deadMaster: master, replicas: replicas, policy: configuration.policy)
        }
        let disabled = (try? await store.areGlobalRecoveriesDisabled()) ?? false
        let active = (try? await store.recoveriesInActivePeriod()) ?? []
        let blockers = RecoveryGate.blockers(RecoveryGate.Facts(
            failed: failed, clusterName: entry.clusterDetails.clusterName, clusterAlias: entry.clusterDetails.clusterAlias, isMaster: true,
            hasAutomatedRecovery: entry.clusterDetails.hasAutomatedMasterRecovery, globallyDisabled: disabled, isDowntimed: entry.isDowntimed,
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
