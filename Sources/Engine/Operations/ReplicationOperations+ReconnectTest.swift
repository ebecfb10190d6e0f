import Foundation
import MySQLClient
import Topology

extension ReplicationOperations {
    /// What a restart of a replica's IO thread came to.
    package enum IOThreadRestart: Sendable, Equatable {
        /// Restarted; `START SLAVE IO_THREAD` returned at this moment.
        case restarted(at: Date)
        /// Left alone: its IO thread no longer ran, or read from another master, when asked.
        case skipped(reason: String)
    }

    /// `STOP SLAVE IO_THREAD` then `START SLAVE IO_THREAD` on an asynchronous replica of `master`
    /// (the reconnect test, `ReconnectTest`): the replica keeps what it received, and its IO
    /// thread opens a new connection to the master. Only a thread that runs and reads from
    /// `master` is touched, so an operator's stopped replica is never started. Once stopped it
    /// is started again whatever happens: a START that fails is tried once more, and a replica
    /// that stays stopped is reported in the error (and the audit log).
    package func restartIOThread(_ key: InstanceKey, master: InstanceKey) async throws(OperationError) -> IOThreadRestart {
        let operation = "restart-slave-io-thread"
        let outcome = try await withConnection(key, operation, waitSeconds: Self.changeWaitSeconds) { connection throws(OperationError) -> IOThreadRestart in
            guard let status = try await Self.slaveStatus(connection, key, operation) else { return .skipped(reason: "not a replica") }
            guard status.string("Slave_IO_Running") == "Yes" else { return .skipped(reason: "its IO thread does not run") }
            guard status.int("Master_Port") == Int64(master.port) else { return .skipped(reason: "it replicates from another master") }
            try await Self.run(connection, key, operation, "STOP SLAVE IO_THREAD")
            do throws(OperationError) {
                try await Self.run(connection, key, operation, "START SLAVE IO_THREAD")
            } catch {
                do throws(OperationError) {
                    try await Self.run(connection, key, operation, "START SLAVE IO_THREAD")
                } catch let again {
                    await audit(operation, key, "IO thread stopped and could not be started again: \(again.reason)")
                    throw again
                }
            }
            return .restarted(at: Date())
        }
        if case .restarted = outcome { await audit(operation, key, "restarted the IO thread to test whether \(master) still takes connections") }
        return outcome
    }
}
