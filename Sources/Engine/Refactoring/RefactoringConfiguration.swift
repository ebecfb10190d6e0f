import Foundation
import Topology

/// What topology refactoring needs from the configuration file.
package struct RefactoringConfiguration: Sendable {
    package var policy = RefactoringPolicy()
    /// `MaxConcurrentReplicaOperations`: replicas moved at once by bulk operations.
    package var maxConcurrentReplicaOperations = 5
    /// How long an operation's own maintenance locks last at most (orchestrator: 10 minutes).
    package var lockDuration: TimeInterval = 600
    /// `ReplicationCredentialsQuery`: the replication user a master needs to become a co-master.
    package var replicationCredentialsQuery = ""
    /// `PostTakeMasterProcesses`: run after every successful take-master, with `$1` the
    /// successor and `$2` the demoted master (`host:port`), and `ORC_SUCCESSOR_HOST` /
    /// `ORC_FAILED_HOST` set to the same; failures are logged only.
    package var postTakeMasterProcesses: [String] = []
    /// This node, as maintenance locks name their holder.
    package var nodeHostname = ""

    package init() {}
}
