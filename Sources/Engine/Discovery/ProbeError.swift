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

extension ProbeError {
    /// The failure's kind, as the probe metrics' `result` label.
    package var result: ProbeResult {
        switch underlying.code {
        case 1044, 1045, 1698: .accessDenied
        // Connector/C: cannot connect (socket, TCP host, unknown host), TLS or auth plugin set-up.
        case 2002, 2003, 2005, 2026, 2059: .connect
        case 2000..<3000: .connectionLost
        default: .query
        }
    }
}
