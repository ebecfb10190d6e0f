import Foundation
import Store
import Topology

/// Where downtime, maintenance locks, promotion rules, the global recovery switch and instance
/// tags are kept:
/// this node's store alone (`LocalControls`), or etcd for every node, mirrored into each node's
/// store (`EtcdControls`). Callers write through this and read their store or registry as
/// before.
package protocol OperatorControls: Sendable {
    /// Whether this node may change controls now (with etcd: while it leads).
    var acceptsWrites: Bool { get }
    func setRecoveriesDisabled(_ disabled: Bool) async throws(ControlsError)
    func registerCandidate(_ candidate: SharedCandidate) async throws(ControlsError)
    /// Begins, or replaces, the instance's downtime.
    func beginDowntime(_ downtime: Downtime) async throws(ControlsError)
    /// Ends the instance's downtime (only the one begun at `beganAt`, when given); whether one ended.
    func endDowntime(_ key: InstanceKey, beganAt: Date?) async throws(ControlsError) -> Bool
    /// Takes an operator's lock on `lock.key` unless another lock is held.
    func beginMaintenance(_ lock: SharedMaintenanceLock) async throws(ControlsError) -> SQLiteStore.MaintenanceGrant
    /// Ends the lock held on `key`; whether there was one.
    func endMaintenance(_ key: InstanceKey, at now: Date) async throws(ControlsError) -> Bool
    /// Sets tag `name` of `key` to `value`.
    func putTag(_ key: InstanceKey, name: String, value: String, at now: Date) async throws(ControlsError)
    /// Removes tag `name` (only where it has `value`, when given) from `key`, or from every
    /// instance; returns the instances it was removed from, sorted.
    func removeTag(name: String, value: String?, from key: InstanceKey?) async throws(ControlsError) -> [InstanceKey]
    /// Brings this node's store up to date with what is shared, before a decision that
    /// depends on it (a recovery). Nothing to do for a single node.
    func refresh() async throws(ControlsError)
}

/// Why a control could not be changed or read.
package enum ControlsError: Error, Sendable, CustomStringConvertible {
    case store(StoreError)
    case etcd(EtcdError)
    case unreadable(SharedControlsError)
    /// This node does not lead (any more): it changes nothing.
    case notLeader(String)

    package var description: String {
        switch self {
        case .store(let error): error.description
        case .etcd(let error): "cannot reach the controls shared through etcd: \(error)"
        case .unreadable(let error): error.description
        case .notLeader(let why): why
        }
    }
}

/// A single node: the controls are its store's.
package struct LocalControls: OperatorControls {
    let store: SQLiteStore

    package init(store: SQLiteStore) {
        self.store = store
    }

    package var acceptsWrites: Bool { true }

    package func setRecoveriesDisabled(_ disabled: Bool) async throws(ControlsError) {
        try await stored { () throws(StoreError) in try await store.setGlobalRecoveriesDisabled(disabled) }
    }

    package func registerCandidate(_ candidate: SharedCandidate) async throws(ControlsError) {
        try await stored { () throws(StoreError) in try await store.registerCandidate(candidate.key, rule: candidate.rule, at: candidate.registeredAt) }
    }

    package func beginDowntime(_ downtime: Downtime) async throws(ControlsError) {
        try await stored { () throws(StoreError) in try await store.beginDowntime(downtime) }
    }

    package func endDowntime(_ key: InstanceKey, beganAt: Date?) async throws(ControlsError) -> Bool {
        try await stored { () throws(StoreError) in try await store.endDowntime(key, beganAt: beganAt) }
    }

    package func beginMaintenance(_ lock: SharedMaintenanceLock) async throws(ControlsError) -> SQLiteStore.MaintenanceGrant {
        try await stored { () throws(StoreError) in
            try await store.beginMaintenance(
                lock.key, owner: lock.owner, reason: lock.reason, endsAt: lock.endsAt, isExplicit: true, node: lock.node, at: lock.beginsAt
            )
        }
    }

    package func endMaintenance(_ key: InstanceKey, at now: Date) async throws(ControlsError) -> Bool {
        try await stored { () throws(StoreError) in try await store.endMaintenance(key, at: now) }
    }

    package func putTag(_ key: InstanceKey, name: String, value: String, at now: Date) async throws(ControlsError) {
        try await stored { () throws(StoreError) in try await store.putTag(key, name: name, value: value, at: now) }
    }

    package func removeTag(name: String, value: String?, from key: InstanceKey?) async throws(ControlsError) -> [InstanceKey] {
        try await stored { () throws(StoreError) in try await store.removeTag(name: name, value: value, from: key) }
    }

    package func refresh() async throws(ControlsError) {}

    private func stored<T>(_ body: () async throws(StoreError) -> T) async throws(ControlsError) -> T {
        do { return try await body() } catch { throw .store(error) }
    }
}
