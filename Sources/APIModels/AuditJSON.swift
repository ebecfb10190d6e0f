import Foundation
import Topology

/// orchestrator's `Audit` entry (`audit…` routes, `json.md` §9). A function rather than an
/// extension of the store's entry type: APIModels does not depend on Store.
package enum AuditJSON {
    /// `{"AuditId","AuditTimestamp","AuditType","AuditInstanceKey","Message"}`; events about no
    /// instance carry the empty key.
    package static func auditEntry(id: Int64, timestamp: Date, type: String, instanceKey: InstanceKey?, message: String) -> JSONValue {
        .object([
            ("AuditId", .int(id)),
            ("AuditTimestamp", .string(APITimestamp.string(timestamp))),
            ("AuditType", .string(type)),
            ("AuditInstanceKey", (instanceKey ?? InstanceKey(hostname: "", port: 0)).json),
            ("Message", .string(message)),
        ])
    }
}
