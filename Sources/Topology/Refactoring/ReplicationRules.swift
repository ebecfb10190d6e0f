/// Whether one server may replicate from another: orchestrator's `CanReplicateFrom`
/// (`refactoring.md` §1.1, `recovery.md` §6.4), the one implementation recovery and refactoring
/// share. orchestrator stops at the first failing check; this reports every violated rule, in
/// the order of §1.1, each naming the instances it is about.
///
/// Not checked here (callers add them): maintenance, lag, reachability, GTID compatibility and
/// replication loops — see `RefactoringRules`.
package enum ReplicationRules {
    /// The two configuration values the rules read.
    package struct Settings: Sendable, Equatable {
        /// `ReasonableMaintenanceReplicationLagSeconds` (default 20): a source delayed by more than
        /// this may not feed a less delayed replica.
        package var reasonableMaintenanceReplicationLagSeconds: Int64
        /// `VerifyReplicationFilters` (default false): a replica without filters may not replicate
        /// from a source with some.
        package var verifyReplicationFilters: Bool

        package init(reasonableMaintenanceReplicationLagSeconds: Int64 = 20, verifyReplicationFilters: Bool = false) {
            self.reasonableMaintenanceReplicationLagSeconds = reasonableMaintenanceReplicationLagSeconds
            self.verifyReplicationFilters = verifyReplicationFilters
        }
    }

    /// Every rule of §1.1 that forbids `replica` to replicate from `source`; empty when allowed.
    package static func violations(replica: Instance, source: Instance, settings: Settings) -> [String] {
        let r = replica.key, s = source.key
        let exempt = replica.isBinlogServer
        var problems: [String] = []
        // 1
        if r == s { problems.append("\(r) cannot replicate from itself") }
        // 2
        if !source.logBinEnabled { problems.append("\(s) has no binary log") }
        // 3
        if source.isReplica, !source.logReplicationUpdatesEnabled {
            problems.append("\(s) does not log the updates it replicates (log_slave_updates is off)")
        }
        // 4
        if !exempt, let mine = VersionNumber(replica.majorVersion), let theirs = VersionNumber(source.majorVersion), mine < theirs {
            problems.append("\(r) runs version \(replica.majorVersion), older than \(source.majorVersion) on \(s)")
        }
        // 5
        if replica.logBinEnabled, replica.logReplicationUpdatesEnabled,
           let mine = BinlogFormat(replica.binlogFormat), let theirs = BinlogFormat(source.binlogFormat), mine < theirs {
            problems.append("\(r) logs \(replica.binlogFormat) and cannot replicate from \(s), which logs \(source.binlogFormat)")
        }
        // 6
        if settings.verifyReplicationFilters, source.hasReplicationFilters, !replica.hasReplicationFilters {
            problems.append("\(s) has replication filters and \(r) has none")
        }
        // 7
        if !exempt, r != s, replica.serverID != 0, replica.serverID == source.serverID {
            problems.append("\(r) and \(s) have the same server_id \(replica.serverID)")
        }
        // 8
        if !exempt, r != s, !replica.serverUUID.isEmpty, replica.serverUUID == source.serverUUID {
            problems.append("\(r) and \(s) have the same server_uuid \(replica.serverUUID)")
        }
        // 9
        if replica.sqlDelay < source.sqlDelay, source.sqlDelay > settings.reasonableMaintenanceReplicationLagSeconds {
            problems.append("\(s) is delayed by \(source.sqlDelay) s, more than \(r) (\(replica.sqlDelay) s)")
        }
        return problems
    }

    /// The rules with recovery's settings.
    package static func violations(replica: Instance, source: Instance, policy: RecoveryPolicy) -> [String] {
        violations(replica: replica, source: source, settings: policy.replicationRuleSettings)
    }

    /// The rules with refactoring's settings.
    package static func violations(replica: Instance, source: Instance, policy: RefactoringPolicy) -> [String] {
        violations(replica: replica, source: source, settings: policy.replicationRuleSettings)
    }
}

extension RecoveryPolicy {
    /// The settings `ReplicationRules` reads.
    package var replicationRuleSettings: ReplicationRules.Settings {
        ReplicationRules.Settings(
            reasonableMaintenanceReplicationLagSeconds: reasonableMaintenanceReplicationLagSeconds,
            verifyReplicationFilters: verifyReplicationFilters
        )
    }
}
