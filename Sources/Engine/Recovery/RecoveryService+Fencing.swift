import Foundation
import Store
import Topology

extension RecoveryService {
    /// Whether the leadership term this recovery started under still holds (asked of etcd; a
    /// single node always holds). When it does not, the recovery records why, as an error step
    /// and an audit entry, and must act no further.
    func fenceHolds(_ journal: RecoveryJournal) async -> Bool {
        guard leadership.isDistributed else { return true }
        guard !journal.isFenced else { return false }
        guard case .refuse(let reason) = await leadership.verify(LeadershipScope.term) else { return true }
        metrics.fenced()
        await journal.fence(reason)
        await AuditLog(store: store, logger: logger).write(AuditEntry(
            timestamp: clock.now, type: "fenced", instanceKey: journal.failedKey, message: "recovery \(journal.uid) stopped: \(reason)"
        ))
        return false
    }
}
