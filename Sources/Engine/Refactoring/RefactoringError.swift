import Store
import Topology

/// Why a refactoring or replication-control operation did not happen, or did not finish.
package enum RefactoringError: Error, Sendable, CustomStringConvertible {
    /// The rules refuse it; no server was touched.
    case refused(RefactoringRefusal)
    /// Another operation or an operator holds a maintenance lock on an instance it changes;
    /// no server was touched.
    case locked(MaintenanceConflict)
    /// The instance is not known (never discovered, or forgotten).
    case unknownInstance(InstanceKey)
    /// A precondition outside the replication rules: not a replica, not detached, …
    case invalid(String)
    /// A statement failed part-way; replication was restarted on the instances touched (the
    /// reason names any where it could not be).
    case failed(OperationError)
    /// The store could not record or lock.
    case store(StoreError)
    /// An operator's lock could not be taken or ended where the nodes share them (etcd).
    case controls(ControlsError)

    /// Refused before any server was touched (rules, a lock, an unknown instance, a precondition).
    var touchedNoServer: Bool {
        switch self {
        case .refused, .locked, .unknownInstance, .invalid, .controls: true
        case .failed, .store: false
        }
    }

    package var description: String {
        switch self {
        case let .refused(refusal): refusal.description
        case let .locked(conflict): "cannot lock \(conflict.requested): \(conflict)"
        case let .unknownInstance(key): "unknown instance \(key)"
        case let .invalid(reason): reason
        case let .failed(error): error.description
        case let .store(error): error.description
        case let .controls(error): error.description
        }
    }
}
