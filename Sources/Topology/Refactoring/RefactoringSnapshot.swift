import Foundation

/// What the refactoring rules read: the instances as last probed (the instances an operation
/// touches freshly probed), the maintenance locks, and the moment the decision is for.
/// A plain value, so the same rule runs on live data and in tests.
package struct RefactoringSnapshot: Sendable {
    /// The known instances by key.
    package var instances: [InstanceKey: Instance]
    /// Maintenance locks by instance; only those active at `now` count.
    package var maintenance: [InstanceKey: MaintenanceLock]
    /// The moment the decision is for: staleness and lock expiry are relative to it.
    package var now: Date

    package init(instances: [Instance], maintenance: [MaintenanceLock] = [], now: Date) {
        self.instances = Dictionary(instances.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
        self.maintenance = Dictionary(maintenance.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
        self.now = now
    }

    package subscript(key: InstanceKey) -> Instance? { instances[key] }

    /// The known direct replicas of `master` (orchestrator's stored replicas), in key order.
    package func replicas(of master: InstanceKey) -> [Instance] {
        instances.values.filter { $0.isReplica && $0.masterKey == master && $0.key != master }.sorted { $0.key < $1.key }
    }

    /// The maintenance lock on `key` active at `now`, if any.
    package func activeMaintenance(on key: InstanceKey) -> MaintenanceLock? {
        guard let lock = maintenance[key], lock.isActive(at: now) else { return nil }
        return lock
    }
}
