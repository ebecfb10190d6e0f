import Foundation
import Logging
import Store
import Topology

/// Writes one audit entry and the matching log line. A failed write is logged, not thrown: the
/// action it records has already happened and its caller answers for it.
struct AuditLog: Sendable {
    let store: SQLiteStore
    let logger: Logger

    /// Writes `entry` alone, for callers that logged the event their own way; a failed write is
    /// logged.
    func write(_ entry: AuditEntry) async {
        do {
            _ = try await store.appendAudit(entry)
        } catch {
            logger.error("cannot audit \(entry.type)", metadata: ["instance": "\(entry.instanceKey?.description ?? "")", "error": "\(error)"])
        }
    }

    /// `metadata` adds to the log line only (the cluster, the outcome); the audit entry keeps
    /// orchestrator's fields.
    func record(_ type: String, _ key: InstanceKey?, _ message: String, level: Logger.Level = .info, metadata: Logger.Metadata = [:]) async {
        var metadata = metadata
        if let key { metadata["instance"] = "\(key)" }
        logger.log(level: level, "\(type): \(message)", metadata: metadata)
        do {
            _ = try await store.appendAudit(AuditEntry(timestamp: Date(), type: type, instanceKey: key, message: message))
        } catch {
            logger.error("cannot audit \(type)", metadata: ["instance": "\(key.map(\.description) ?? "")", "error": "\(error)"])
        }
    }
}
