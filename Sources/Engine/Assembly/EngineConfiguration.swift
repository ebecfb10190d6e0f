import Foundation
import Topology

/// Everything the engine's services need, gathered from the configuration file by the executable
/// (or written directly by tests). One value, so the daemon and the tests build the same engine.
package struct EngineConfiguration: Sendable {
    package var discovery: DiscoveryConfiguration
    /// `DiscoverySeeds`.
    package var seeds: [InstanceKey] = []
    /// Keep an idle connection to every master (see `LivenessWatch`).
    package var watchMasters = true
    package var reasonableReplicationLagSeconds: Int64 = 10
    package var detection: DetectionConfiguration
    package var recovery: RecoveryConfiguration
    package var refactoring = RefactoringConfiguration()
    /// Whether analysis hands actionable problems to the recovery service. Manual recoveries
    /// work either way.
    package var automatedRecovery = true
    /// `ProcessesShellCommand` and how long one hook may run.
    package var hooksShellCommand = "bash"
    package var hooksTimeout: Duration = .seconds(60)
    /// Master discovery stores (etcd, ZooKeeper) and `KVClusterMasterPrefix`.
    package var kvStores: [any KVStore] = []
    package var kvPrefix = "mysql/master"
    package var kvRetryDelays: [Duration] = [.seconds(1), .seconds(2), .seconds(4), .seconds(8)]
    /// The periodic KV submission waits this long after start for the first probes.
    package var kvSubmitStartupDelay: Duration = .seconds(3)
    /// The time the services decide with and sleep on: the system's for the daemon, a manual one
    /// in tests that drive grace periods, block periods and expiries without sleeping.
    package var clock: any EngineClock = SystemClock()
    /// `InstanceBulkOperationsWaitTimeoutSeconds`: how long an operation waits for a replica.
    package var operationsWaitTimeoutSeconds = 10
    /// Leadership through etcd among several nodes; `nil`: a single node, always the leader.
    package var leadership: LeadershipConfiguration?
    /// `DivideProbesAmongNodes`: with `leadership`, the nodes divide the clusters among
    /// themselves and share their probe results; `nil`: every node probes everything.
    package var probeSharing: ProbeSharingConfiguration?

    package init(discovery: DiscoveryConfiguration, detection: DetectionConfiguration, recovery: RecoveryConfiguration) {
        self.discovery = discovery
        self.detection = detection
        self.recovery = recovery
    }
}
