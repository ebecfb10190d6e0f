import Foundation
import Store
import Topology

/// Recoveries shared among nodes through etcd (`EtcdSharedRecoveries`): the leader publishes
/// each one as it registers it and again when it ends; before deciding on a recovery, a leader
/// takes in those other nodes ran, so anti-flapping and "never twice" hold across a change of
/// leader. A single node shares nothing.
extension RecoveryService {
    /// Adds the recoveries other nodes published to this node's store; returns why it could
    /// not, in which case no recovery may be decided (it could be a second one).
    ///
    /// - Parameter endedOnly: a follower takes in only the recoveries that ended, for its reads
    ///   (`audit-recovery`, the web page): one still running is the leader's, not interrupted.
    func importSharedRecoveries(endedOnly: Bool = false) async -> String? {
        guard let shared else { return nil }
        do {
            let records = try await shared.all()
            try await acknowledgeWhatLeftEtcd(keeping: Set(records.map(\.uid)))
            for record in records where !record.wasAbandonedBeforeActing && (!endedOnly || record.ended != nil) {
                guard let recovery = record.imported(at: Date()), try await store.importRecovery(recovery) else { continue }
                logger.warning("took in a recovery another node ran", metadata: [
                    "recovery_id": "\(recovery.uid)", "instance": "\(recovery.key)", "cluster": "\(recovery.clusterName)", "node": "\(record.node)",
                ])
                await AuditLog(store: store, logger: logger).write(AuditEntry(
                    timestamp: clock.now, type: "recovery-shared", instanceKey: recovery.key,
                    message: "recovery \(recovery.uid) of \(recovery.key) (\(recovery.analysis)) by \(record.node): "
                        + (recovery.isSuccessful ? "\(recovery.successor?.description ?? "") took over" : recovery.allErrors.first ?? "not successful")
                ))
            }
            return nil
        } catch {
            return "cannot read the recoveries other nodes ran: \(error)"
        }
    }

    /// A recovery taken in from another node leaves etcd before its active period ends only
    /// when it is acknowledged (its lease outlasts the period): acknowledged there, so here too,
    /// or a node that took it in while leading before would stay blocked by it.
    private func acknowledgeWhatLeftEtcd(keeping shared: Set<String>) async throws(StoreError) {
        var query = RecoveryQuery()
        query.unacknowledgedOnly = true
        query.pageSize = 10_000
        for recovery in try await store.recoveries(query)
        where recovery.isActive && recovery.processingNodeToken != configuration.nodeToken && !shared.contains(recovery.uid) {
            _ = try await store.acknowledgeRecoveries(
                .uid(recovery.uid), by: recovery.processingNodeHostname, comment: "acknowledged on another node: it left etcd within its active period", at: clock.now
            )
            logger.info("a recovery taken in from another node was acknowledged there", metadata: ["recovery_id": "\(recovery.uid)"])
        }
    }

    /// Publishes a recovery just registered, fenced by its term; `false` (recorded in the
    /// journal) when it could not be: the recovery must not act.
    func share(_ recovery: TopologyRecovery, journal: RecoveryJournal) async -> Bool {
        guard let shared, let term = LeadershipScope.term else { return true }
        do {
            if try await shared.publish(SharedRecovery(recovery, node: leadership.ownRecord.node), term: term) { return true }
            await journal.fence("leadership moved before the recovery could be shared")
        } catch {
            await journal.fence("the recovery cannot be shared with the other nodes: \(error)")
        }
        return false
    }

    /// Publishes, fenced, that the recovery is about to change servers: from now on a leader
    /// that takes over finds it half-done and blocks. `false` (recorded in the journal) when
    /// this node no longer leads: the recovery must not act.
    func shareActing(_ recovery: TopologyRecovery, journal: RecoveryJournal) async -> Bool {
        guard let shared, let term = LeadershipScope.term else { return true }
        do {
            if try await shared.update(SharedRecovery(recovery, node: leadership.ownRecord.node, acting: true), term: term) { return true }
            await journal.fence("leadership moved before the recovery changed any server")
        } catch {
            await journal.fence("cannot tell the other nodes this recovery is changing servers: \(error)")
        }
        return false
    }

    /// Publishes how a shared recovery ended; a failure is logged (the other nodes then see it
    /// as interrupted, which blocks as well).
    func shareOutcome(_ recovery: TopologyRecovery) async {
        guard let shared, let term = LeadershipScope.term else { return }
        do {
            guard try await shared.update(SharedRecovery(recovery, node: leadership.ownRecord.node), term: term) else { return }
        } catch {
            logger.error("cannot share the end of a recovery", metadata: ["recovery_id": "\(recovery.uid)", "error": "\(error)"])
        }
    }

    /// After an acknowledgement: the acknowledged recoveries leave etcd, so no later leader
    /// takes them in as blocking.
    package func forgetAcknowledgedSharedRecoveries() async {
        guard let shared else { return }
        do {
            for record in try await shared.all() {
                var query = RecoveryQuery()
                query.uid = record.uid
                if try await store.recoveries(query).first?.isAcknowledged == true { try await shared.forget(record.uid) }
            }
        } catch {
            logger.error("cannot remove acknowledged recoveries from etcd", metadata: ["error": "\(error)"])
        }
    }
}
