import Foundation
import Topology

/// One maintenance lock (orchestrator's `database_instance_maintenance` row). At most one is
/// active per instance; an operation takes one on each instance it changes.
package struct MaintenanceEntry: Sendable, Equatable {
    package var id: Int64
    package var key: InstanceKey
    package var owner: String
    package var reason: String
    package var beginsAt: Date
    package var endsAt: Date
    /// Still held: not ended and not expired (as of when it was read).
    package var isActive: Bool
    /// Begun by an operator (`begin-maintenance`) rather than by an operation.
    package var isExplicit: Bool

    package init(id: Int64, key: InstanceKey, owner: String, reason: String, beginsAt: Date, endsAt: Date, isActive: Bool, isExplicit: Bool) {
        self.id = id
        self.key = key
        self.owner = owner
        self.reason = reason
        self.beginsAt = beginsAt
        self.endsAt = endsAt
        self.isActive = isActive
        self.isExplicit = isExplicit
    }
}

/// Why a maintenance lock was not granted: another one is held, and by whom.
package struct MaintenanceConflict: Error, Sendable, Equatable, CustomStringConvertible {
    package var requested: InstanceKey
    package var requestedReason: String
    package var holder: MaintenanceEntry

    package init(requested: InstanceKey, requestedReason: String, holder: MaintenanceEntry) {
        self.requested = requested
        self.requestedReason = requestedReason
        self.holder = holder
    }

    package var description: String {
        "\(requested) is in maintenance by \(holder.owner) since \(holder.beginsAt) until \(holder.endsAt): \(holder.reason)"
    }
}
