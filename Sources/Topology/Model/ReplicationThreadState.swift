/// State of a replication thread, encoded as orchestrator encodes it in JSON.
package enum ReplicationThreadState: Int, Sendable, Codable, Equatable {
    case noThread = -1
    case stopped = 0
    case running = 1
    case other = 2

    /// Maps `Slave_IO_Running` / `Slave_SQL_Running` text (`Yes`, `No`, `Connecting`, …).
    package init(slaveStatusText text: String) {
        switch text.lowercased() {
        case "yes": self = .running
        case "no": self = .stopped
        default: self = .other
        }
    }

    package var isRunning: Bool { self == .running }
}
