import MySQLClient
import Topology

/// Why a probe could not read an instance.
package struct ProbeError: Error, Sendable, CustomStringConvertible {
    package var key: InstanceKey
    package var underlying: MySQLError
    /// The first mandatory query succeeded before the failure (orchestrator's `partialSuccess`).
    package var partialSuccess: Bool

    package var description: String {
        let reason = underlying.message.isEmpty ? "error \(underlying.code)" : underlying.message
        return "cannot probe \(key): MySQL error \(underlying.code) (\(underlying.sqlState)): \(reason)"
    }
}
