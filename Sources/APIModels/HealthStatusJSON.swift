import Topology
import Foundation

/// orchestrator's `HealthStatus` (`Details` of `health` and `status`) for a single node.
package enum HealthStatusJSON {
    package static func make(hostname: String, token: String, appVersion: String, firstSeenActive: Date, lastSeenActive: Date, dbBackend: String) -> JSONValue {
        let node = JSONValue.object([
            ("Hostname", .string(hostname)), ("Token", .string(token)), ("AppVersion", .string(appVersion)),
            ("FirstSeenActive", .string(APITimestamp.string(firstSeenActive))), ("LastSeenActive", .string(APITimestamp.string(lastSeenActive))),
            ("ExtraInfo", .string("")), ("Command", .string("")), ("DBBackend", .string(dbBackend)),
            ("LastReported", .string("0001-01-01T00:00:00Z")),
        ])
        return .object([
            ("Healthy", .bool(true)), ("Hostname", .string(hostname)), ("Token", .string(token)), ("IsActiveNode", .bool(true)),
            ("ActiveNode", node), ("Error", .null), ("AvailableNodes", .array([node])), ("RaftLeader", .string("")),
            ("IsRaftLeader", .bool(false)), ("RaftLeaderURI", .string("")), ("RaftAdvertise", .string("")), ("RaftHealthyMembers", .null),
        ])
    }
}

/// orchestrator's `Audit` entry.
package enum AuditJSON {
    package static func auditEntry(id: Int64, timestamp: Date, type: String, instanceKey: InstanceKey?, message: String) -> JSONValue {
        .object([
            ("AuditId", .int(id)), ("AuditTimestamp", .string(APITimestamp.string(timestamp))), ("AuditType", .string(type)),
            ("AuditInstanceKey", (instanceKey ?? InstanceKey(hostname: "", port: 0)).json), ("Message", .string(message)),
        ])
    }
}
