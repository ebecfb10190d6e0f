import Foundation
import Topology

/// orchestrator's Instance JSON (`json.md` §5): encoding here, decoding in `+Decoding`.
package enum InstanceJSON {
    /// All 87 keys in orchestrator's order (Go struct declaration order), legacy `Slave…`
    /// copies included. Fields orchestrator fills from features we do not have (Pseudo-GTID,
    /// agents, group replication, unresolved host names, credentials, downtime details) carry
    /// the values orchestrator shows when those features are unused.
    package static func encode(_ instance: Instance, context: InstanceJSONContext) -> JSONValue {
        let fresh = context.freshlyProbed
        // InstanceKeyMap: sorted by host then port, and `[]` rather than `null` when empty.
        let replicas = JSONValue.array(instance.replicas.sorted().map(\.json))
        let lag = JSONValue.nullInt64(instance.replicationLagSeconds)
        // Problems are computed when reading from the backend; a fresh probe has none yet.
        let problems = fresh ? [] : instance.problems(
            now: context.now, pollSeconds: context.pollSeconds, reasonableReplicationLagSeconds: context.reasonableReplicationLagSeconds
        )
        let emptyKey = InstanceKey(hostname: "", port: 0).json
        let members: [(String, JSONValue)] = [
            ("Key", instance.key.json),
            ("InstanceAlias", .string(instance.instanceAlias)),
            ("Uptime", .int(instance.uptime)),
            ("ServerID", .int(instance.serverID)),
            ("ServerUUID", .string(instance.serverUUID)),
            ("Version", .string(instance.version)),
            ("VersionComment", .string(instance.versionComment)),
            ("FlavorName", .string(fresh ? "" : instance.flavorName)),
            ("ReadOnly", .bool(instance.readOnly)),
            ("Binlog_format", .string(instance.binlogFormat)),
            ("BinlogRowImage", .string(instance.binlogRowImage)),
            ("LogBinEnabled", .bool(instance.logBinEnabled)),
            ("LogSlaveUpdatesEnabled", .bool(instance.logReplicationUpdatesEnabled)),
            ("LogReplicationUpdatesEnabled", .bool(instance.logReplicationUpdatesEnabled)),
            ("SelfBinlogCoordinates", instance.selfBinlogCoordinates.json),
            ("MasterKey", instance.masterKey.json),
            ("MasterUUID", .string(instance.masterUUID)),
            ("AncestryUUID", .string(instance.ancestryUUID)),
            ("IsDetachedMaster", .bool(instance.isDetachedMaster)),
            ("Slave_SQL_Running", .bool(instance.sqlThreadState.isRunning)),
            ("ReplicationSQLThreadRuning", .bool(instance.sqlThreadState.isRunning)),
            ("Slave_IO_Running", .bool(instance.ioThreadState.isRunning)),
            ("ReplicationIOThreadRuning", .bool(instance.ioThreadState.isRunning)),
            ("ReplicationSQLThreadState", .int(Int64(instance.sqlThreadState.rawValue))),
            ("ReplicationIOThreadState", .int(Int64(instance.ioThreadState.rawValue))),
            ("HasReplicationFilters", .bool(instance.hasReplicationFilters)),
            ("GTIDMode", .string(instance.gtidMode)),
            ("SupportsOracleGTID", .bool(instance.supportsOracleGTID)),
            ("UsingOracleGTID", .bool(instance.usingOracleGTID)),
            ("UsingMariaDBGTID", .bool(instance.usingMariaDBGTID)),
            ("UsingPseudoGTID", .bool(instance.usingPseudoGTID)),
            ("ReadBinlogCoordinates", instance.readBinlogCoordinates.json),
            ("ExecBinlogCoordinates", instance.execBinlogCoordinates.json),
            ("IsDetached", .bool(instance.isDetached)),
            ("RelaylogCoordinates", instance.relaylogCoordinates.json),
            // orchestrator stores these Go-quoted (`strconv.QuoteToASCII`); so does the wire.
            ("LastSQLError", .string(GoQuote.quote(instance.lastSQLError))),
            ("LastIOError", .string(GoQuote.quote(instance.lastIOError))),
            ("SecondsBehindMaster", .nullInt64(instance.secondsBehindMaster)),
            ("SQLDelay", .int(instance.sqlDelay)),
            ("ExecutedGtidSet", .string(instance.executedGtidSet)),
            ("GtidPurged", .string(instance.gtidPurged)),
            ("GtidErrant", .string(instance.gtidErrant)),
            ("SlaveLagSeconds", lag),
            ("ReplicationLagSeconds", lag),
            ("SlaveHosts", replicas),
            ("Replicas", replicas),
            ("ClusterName", .string(instance.clusterName)),
            ("SuggestedClusterAlias", .string(instance.suggestedClusterAlias)),
            ("DataCenter", .string(instance.dataCenter)),
            ("Region", .string(instance.region)),
            ("PhysicalEnvironment", .string(instance.physicalEnvironment)),
            ("ReplicationDepth", .int(Int64(instance.replicationDepth))),
            ("IsCoMaster", .bool(instance.isCoMaster)),
            ("HasReplicationCredentials", .bool(instance.hasReplicationCredentials)),
            ("ReplicationCredentialsAvailable", .bool(false)),
            ("SemiSyncAvailable", .bool(instance.semiSyncAvailable)),
            ("SemiSyncPriority", .int(instance.semiSyncPriority)),
            ("SemiSyncMasterEnabled", .bool(instance.semiSyncMasterEnabled)),
            ("SemiSyncReplicaEnabled", .bool(instance.semiSyncReplicaEnabled)),
            ("SemiSyncMasterTimeout", .int(instance.semiSyncMasterTimeout)),
            ("SemiSyncMasterWaitForReplicaCount", .int(instance.semiSyncMasterWaitForReplicaCount)),
            ("SemiSyncMasterStatus", .bool(instance.semiSyncMasterStatus)),
            ("SemiSyncMasterClients", .int(instance.semiSyncMasterClients)),
            ("SemiSyncReplicaStatus", .bool(instance.semiSyncReplicaStatus)),
            ("LastSeenTimestamp", .string(fresh ? "" : APITimestamp.string(instance.lastSeen))),
            ("IsLastCheckValid", .bool(fresh || instance.isLastCheckValid)),
            ("IsUpToDate", .bool(fresh || instance.isUpToDate(now: context.now, pollSeconds: context.pollSeconds))),
            ("IsRecentlyChecked", .bool(fresh || instance.isRecentlyChecked(now: context.now, pollSeconds: context.pollSeconds))),
            ("SecondsSinceLastSeen", .nullInt64(fresh ? nil : instance.secondsSinceLastSeen(now: context.now))),
            ("CountMySQLSnapshots", .int(0)),
            // Read from the candidate table, so never set on a freshly probed instance.
            ("IsCandidate", .bool(!fresh && (instance.promotionRule == .must || instance.promotionRule == .prefer))),
            ("PromotionRule", .string(instance.promotionRule.rawValue)),
            ("IsDowntimed", .bool(instance.isDowntimed)),
            ("DowntimeReason", .string(instance.downtime?.reason ?? "")),
            ("DowntimeOwner", .string(instance.downtime?.owner ?? "")),
            // A lost-in-recovery downtime lasts until it is ended: orchestrator shows a year ahead.
            ("DowntimeEndTimestamp", .string(instance.downtime.map { APITimestamp.string($0.endsAt ?? $0.beginsAt.addingTimeInterval(365 * 86400)) } ?? "")),
            ("ElapsedDowntime", .int(instance.downtime.map { Int64(max(0, context.now.timeIntervalSince($0.beginsAt)).rounded(.down)) * 1_000_000_000 } ?? 0)),
            ("UnresolvedHostname", .string(instance.unresolvedHostname)),
            ("AllowTLS", .bool(instance.allowTLS)),
            ("Problems", .array(problems.map { .string($0) })),
            ("LastDiscoveryLatency", .int(instance.lastDiscoveryLatencyNanoseconds)),
            ("ReplicationGroupName", .string("")),
            ("ReplicationGroupIsSinglePrimary", .bool(false)),
            ("ReplicationGroupMemberState", .string("")),
            ("ReplicationGroupMemberRole", .string("")),
            ("ReplicationGroupMembers", .array([])),
            ("ReplicationGroupPrimaryInstanceKey", emptyKey),
        ]
        return .object(members)
    }
}
