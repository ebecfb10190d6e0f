import Foundation

/// orchestrator's movability gates (`refactoring.md` §1.2): what an instance's latest probe must
/// show before an operation may move it. Ordered by strength: `canMove` asks everything the
/// others ask, and more.
package enum MovabilityGate: Int, Sendable, Comparable, CaseIterable {
    /// `CanMoveViaMatch`: last check valid, recently checked. GTID moves.
    case canMoveViaMatch
    /// `CanMoveAsCoMaster`: last check valid, recently checked. The master in make-co-master.
    case canMoveAsCoMaster
    /// `CanMove`: last check valid, recently checked, both replication threads running, a known
    /// `Seconds_Behind_Master`, and a reasonable maintenance lag. Coordinate moves.
    case canMove

    package static func < (lhs: MovabilityGate, rhs: MovabilityGate) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Every condition of this gate that `instance` fails at `now`; empty when it passes.
    ///
    /// Where orchestrator's `CanMove` stops at the first failure, this lists them all, except that
    /// a non-replica gets one reason instead of three (threads, lag), and a NULL
    /// `Seconds_Behind_Master` is not reported when a stopped thread already explains it.
    package func violations(of instance: Instance, now: Date, policy: RefactoringPolicy) -> [String] {
        let key = instance.key
        var problems: [String] = []
        if !instance.isLastCheckValid { problems.append("\(key) was not reachable at its last check") }
        if let lastChecked = instance.lastChecked {
            if !instance.isRecentlyChecked(now: now, pollSeconds: policy.instancePollSeconds) {
                let age = Int64(now.timeIntervalSince(lastChecked).rounded(.down))
                let limit = Int64((5 * policy.instancePollSeconds).rounded(.up))
                problems.append("\(key) was last checked \(age) s ago, more than \(limit) s (5 × InstancePollSeconds)")
            }
        } else {
            problems.append("\(key) has never been checked")
        }
        guard self == .canMove else { return problems }

        guard instance.isReplica else {
            problems.append("\(key) is not a replica")
            return problems
        }
        if !instance.sqlThreadState.isRunning { problems.append("the SQL thread of \(key) is not running") }
        if !instance.ioThreadState.isRunning { problems.append("the IO thread of \(key) is not running") }
        guard let behind = instance.secondsBehindMaster else {
            if instance.sqlThreadState.isRunning, instance.ioThreadState.isRunning {
                problems.append("\(key) has no replication lag figure (Seconds_Behind_Master is NULL)")
            }
            return problems
        }
        let limit = policy.reasonableMaintenanceReplicationLagSeconds
        if !instance.hasReasonableReplicationLag(threshold: limit) {
            if instance.sqlDelay > 0 {
                problems.append("\(key) is \(behind) s behind with SQL_Delay \(instance.sqlDelay) s, more than \(limit) s off (ReasonableMaintenanceReplicationLagSeconds)")
            } else {
                problems.append("\(key) lags \(behind) s, more than \(limit) s (ReasonableMaintenanceReplicationLagSeconds)")
            }
        }
        return problems
    }
}
