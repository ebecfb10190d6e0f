import Foundation

extension Instance {
    /// orchestrator's `Problems` tokens for an instance read from the backend (`json.md` §5.2),
    /// following `readInstanceRow` in `go/inst/instance_dao.go`: at most one of
    /// `last_check_invalid`, `not_recently_checked`, `not_replicating`, `replication_lag` (the
    /// first that applies, in that order), then `errant_gtid` independently.
    /// `group_replication_member_not_online` never applies: MariaDB has no group replication.
    ///
    /// - Parameters:
    ///   - now: the moment the answer is for (staleness is relative to it).
    ///   - pollSeconds: `InstancePollSeconds`; "recently checked" means within 5 × this.
    ///   - reasonableReplicationLagSeconds: `ReasonableReplicationLagSeconds` (orchestrator's default is 10).
    package func problems(now: Date, pollSeconds: Double, reasonableReplicationLagSeconds: Int64) -> [String] {
        var problems: [String] = []
        if !isLastCheckValid {
            problems.append("last_check_invalid")
        } else if !isRecentlyChecked(now: now, pollSeconds: pollSeconds) {
            problems.append("not_recently_checked")
        } else if replicationThreadsExist, !isReplicationRunning {
            problems.append("not_replicating")
        } else if let lag = replicationLagSeconds, abs(lag - sqlDelay) > reasonableReplicationLagSeconds {
            problems.append("replication_lag")
        }
        if !gtidErrant.isEmpty { problems.append("errant_gtid") }
        return problems
    }

    /// orchestrator's `ReplicationThreadsExist`: both threads are known (replica status had a
    /// row). Deliberately not `isReplica`: a replica configured but never connected (no read
    /// coordinates yet) still counts as "not replicating".
    private var replicationThreadsExist: Bool {
        sqlThreadState != .noThread && ioThreadState != .noThread
    }
}
