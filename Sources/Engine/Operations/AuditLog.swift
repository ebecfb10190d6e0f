import Foundation
import Logging
import Store
import Topology

/// Writes one audit entry and the matching log line. A failed write is logged, not thrown: the
/// action it records has already happened and its caller answers for it.
struct AuditLog: Sendable {
    let store: SQLiteStore
    let logger: Logger

    func record(_ type: String, _ key: InstanceKey?, _ message: String) async {
        logger.info("\(type): \(message)", metadata: key.map { ["instance": "\($0)"] } ?? [:])
        do {
            _ = try await store.appendAudit(AuditEntry(timestamp: Date(), type: type, instanceKey: key, message: message))
        } catch {
            logger.error("cannot audit \(type)", metadata: ["instance": "\(key.map(\.description) ?? "")", "error": "\(error)"])
        }
    }
}
