import Topology

extension ReplicationOperations {
    /// Right before a change to `key`: the leadership term this work runs under
    /// (`LeadershipScope.term`) must still hold in etcd. A refusal is audited (`fenced`) and
    /// thrown; nothing is sent to the server. A single node is always allowed.
    func fence(_ key: InstanceKey, _ operation: String) async throws(OperationError) {
        guard let leadership, leadership.isDistributed else { return }
        guard case .refuse(let reason) = await leadership.verify(LeadershipScope.term) else { return }
        metrics.fenced()
        await AuditLog(store: store, logger: logger).record("fenced", key, "did not \(operation) on \(key): \(reason)", level: .warning)
        throw OperationError(key: key, operation: operation, reason: "fenced: \(reason)")
    }
}
