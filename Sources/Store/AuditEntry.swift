import Foundation
import Topology

/// One audit log entry (orchestrator's `audit` table): what was done, to which instance.
package struct AuditEntry: Sendable, Equatable {
    /// Assigned by the store; `nil` before the entry is appended.
    package var id: Int64?
    /// Stored with millisecond precision.
    package var timestamp: Date
    /// orchestrator's operation name: `discover`, `forget`, `relocate-below`, …
    package var type: String
    /// `nil` for events about no particular instance.
    package var instanceKey: InstanceKey?
    package var message: String

    package init(id: Int64? = nil, timestamp: Date, type: String, instanceKey: InstanceKey?, message: String) {
        self.id = id
        self.timestamp = timestamp
        self.type = type
        self.instanceKey = instanceKey
        self.message = message
    }
}
