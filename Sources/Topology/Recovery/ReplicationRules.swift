/// Whether one server may replicate from another (orchestrator's `CanReplicateFrom`,
/// `recovery.md` §6.4). Every violated rule is reported, not only the first.
package enum ReplicationRules {
    package static func violations(replica: Instance, source: Instance, policy: RecoveryPolicy) -> [String] {
        var problems: [String] = []
        if replica.key == source.key { problems.append("a server cannot replicate from itself") }
        if !source.logBinEnabled { problems.append("\(source.key) has no binary log") }
        if source.isReplica, !source.logReplicationUpdatesEnabled {
            problems.append("\(source.key) does not log the updates it replicates (log_slave_updates is off)")
        }
        if let replicaVersion = VersionNumber(replica.majorVersion), let sourceVersion = VersionNumber(source.majorVersion), replicaVersion < sourceVersion {
            problems.append("version \(replica.majorVersion) cannot replicate from the newer \(source.majorVersion)")
        }
        if replica.logBinEnabled, replica.logReplicationUpdatesEnabled,
           let mine = BinlogFormat(replica.binlogFormat), let theirs = BinlogFormat(source.binlogFormat), mine < theirs {
            problems.append("\(replica.binlogFormat) cannot replicate from \(source.binlogFormat)")
        }
        if policy.verifyReplicationFilters, source.hasReplicationFilters, !replica.hasReplicationFilters {
            problems.append("\(source.key) has replication filters and \(replica.key) has none")
        }
        if replica.serverID != 0, replica.serverID == source.serverID { problems.append("both have server_id \(replica.serverID)") }
        if !replica.serverUUID.isEmpty, replica.serverUUID == source.serverUUID { problems.append("both have server_uuid \(replica.serverUUID)") }
        if replica.sqlDelay < source.sqlDelay, source.sqlDelay > policy.reasonableMaintenanceReplicationLagSeconds {
            problems.append("\(source.key) is delayed by \(source.sqlDelay) s, more than \(replica.key) (\(replica.sqlDelay) s)")
        }
        return problems
    }
}

/// `STATEMENT` < `MIXED` < `ROW`: a replica logging in a format may replicate from a source using
/// the same or a "smaller" one.
package enum BinlogFormat: Int, Sendable, Comparable {
    case statement, mixed, row

    package init?(_ text: String) {
        switch text.uppercased() {
        case "STATEMENT": self = .statement
        case "MIXED": self = .mixed
        case "ROW": self = .row
        default: return nil
        }
    }

    package static func < (lhs: BinlogFormat, rhs: BinlogFormat) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// `10.11` as numbers, so that 10.11 sorts after 10.6.
package struct VersionNumber: Sendable, Comparable {
    var components: [Int]

    package init?(_ text: String) {
        let parts = text.split(separator: ".").map { Int($0) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        components = parts.compactMap { $0 }
    }

    package static func < (lhs: VersionNumber, rhs: VersionNumber) -> Bool { lhs.components.lexicographicallyPrecedes(rhs.components) }
}
