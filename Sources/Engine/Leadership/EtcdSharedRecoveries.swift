import Foundation
import Topology

/// The recoveries the leader ran, kept in etcd under `<prefix>recoveries/<uid>` so whoever
/// leads next knows them (`SharedRecovery`). Each record lives on its own lease of
/// `RecoveryPeriodBlockSeconds`: its active period ends when the lease does. Writes are fenced
/// by the writer's leadership term, in the same etcd transaction.
package struct EtcdSharedRecoveries: Sendable {
    let election: EtcdElection
    let prefix: String
    let activePeriodSeconds: Int

    private func key(_ uid: String) -> String { prefix + uid }

    /// Publishes a recovery just registered; `false` when `term` no longer holds (nothing written).
    package func publish(_ recovery: SharedRecovery, term: LeadershipTerm) async throws(EtcdError) -> Bool {
        let lease = try await election.grantLease(ttlSeconds: max(1, activePeriodSeconds))
        return try await election.putFenced(key(recovery.uid), value: recovery.encoded, lease: lease.id, term: term)
    }

    /// Records how a published recovery went, keeping its lease.
    package func update(_ recovery: SharedRecovery, term: LeadershipTerm) async throws(EtcdError) -> Bool {
        try await election.putFenced(key(recovery.uid), value: recovery.encoded, lease: nil, term: term)
    }

    /// Every recovery still in its active period.
    package func all() async throws(EtcdError) -> [SharedRecovery] {
        try await election.gateway.values(under: prefix).compactMap { SharedRecovery(decoding: $0) }
    }

    /// An acknowledged recovery blocks nobody any more.
    package func forget(_ uid: String) async throws(EtcdError) {
        try await election.delete(key(uid))
    }
}
