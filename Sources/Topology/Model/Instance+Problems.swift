import Foundation

extension Instance {
    /// orchestrator's `Problems` tokens: at most one of the first four, in this order, then
    /// `errant_gtid`.
    package func problems(now: Date, pollSeconds: Double, reasonableReplicationLagSeconds: Int64) -> [String] {
        var problems: [String] = []
        if !isLastCheckValid {
            problems.append("last_check_invalid")
        } else if !isRecentlyChecked(now: now, pollSeconds: pollSeconds) {
            problems.append("not_recently_checked")
        } else if isReplica, sqlThreadState != .noThread || ioThreadState != .noThread, !isReplicationRunning {
            problems.append("not_replicating")
        } else if let lag = replicationLagSeconds, abs(lag - sqlDelay) > reasonableReplicationLagSeconds {
            problems.append("replication_lag")
        }
        if !gtidErrant.isEmpty { problems.append("errant_gtid") }
        return problems
    }
}
