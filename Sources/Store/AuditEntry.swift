import Foundation
import Topology

/// One audit log entry (orchestrator's `audit` table).
package struct AuditEntry: Sendable, Equatable {
    package var id: Int64?
    package var timestamp: Date
    package var type: String
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
