import Foundation
import Topology

/// What the recovery service needs from the configuration file (`recovery.md` §15, `hooks.md` §1).
package struct RecoveryConfiguration: Sendable {
    package var policy = RecoveryPolicy()
    /// `RecoveryPeriodBlockSeconds`: anti-flapping.
    package var recoveryPeriodBlockSeconds: Double = 3600
    /// `CandidateInstanceExpireMinutes`.
    package var candidateInstanceExpireMinutes: Double = 60
    /// `MaxConcurrentReplicaOperations`: replicas rewired at once.
    package var maxConcurrentReplicaOperations = 5
    /// `FailMasterPromotionIfSQLThreadNotUpToDate`: refuse to promote a replica that could not
    /// apply its whole relay log in time (otherwise it is promoted and the gap reported).
    package var failMasterPromotionIfSQLThreadNotUpToDate = false
    /// `DelayMasterPromotionIfSQLThreadNotUpToDate`: wait longer (up to
    /// `ReasonableReplicationLagSeconds` more) for the relay log to be applied.
    package var delayMasterPromotionIfSQLThreadNotUpToDate = false
    package var reasonableReplicationLagSeconds: Int = 10
    package var preFailoverProcesses: [String] = []
    package var postMasterFailoverProcesses: [String] = []
    package var postIntermediateMasterFailoverProcesses: [String] = []
    package var postFailoverProcesses: [String] = []
    package var postUnsuccessfulFailoverProcesses: [String] = []
    package var preGracefulTakeoverProcesses: [String] = []
    package var postGracefulTakeoverProcesses: [String] = []
    /// `ReplicationCredentialsQuery`: run on a replica, returns the replication user and password
    /// a demoted master needs to replicate from the new one.
    package var replicationCredentialsQuery = ""
    /// `ReasonableMaintenanceReplicationLagSeconds`: how far behind a designated replica may be,
    /// and how long a graceful takeover waits for it to apply everything.
    package var reasonableMaintenanceReplicationLagSeconds = 20
    /// `RejoinFailedMasterAsReplica` (ours): a failed master that comes back after a recovery
    /// replicates from its successor when it holds nothing its successor lacks; otherwise it
    /// stays read-only (and downtimed) and the recovery's steps name its errant transactions.
    package var rejoinFailedMasterAsReplica = false
    package var nodeHostname = ""
    package var nodeToken = ""

    package init() {}
}
