import Foundation

/// The bracketed description of one instance in orchestrator's topology text:
/// lag, status, version, `ro`/`rw`, binlog format and extras.
package struct InstanceStatusDescription: Sendable {
    package var pollSeconds: Double
    package var reasonableMaintenanceReplicationLagSeconds: Int64

    package init(pollSeconds: Double, reasonableMaintenanceReplicationLagSeconds: Int64 = 20) {
        self.pollSeconds = pollSeconds
        self.reasonableMaintenanceReplicationLagSeconds = reasonableMaintenanceReplicationLagSeconds
    }

    /// The six tokens in order; empty tokens are kept (the tabulated form needs them).
    package func tokens(for instance: Instance, now: Date) -> [String] {
        [lagToken(instance, now: now), statusToken(instance, now: now), instance.version,
         instance.readOnly ? "ro" : "rw",
         instance.logBinEnabled ? instance.binlogFormat : "nobinlog",
         extras(instance).joined(separator: ",")]
    }

    /// `[0s,ok,10.11.6-MariaDB-log,ro,ROW,>>,GTID]`.
    package func bracketed(_ instance: Instance, now: Date) -> String {
        "[" + tokens(for: instance, now: now).filter { !$0.isEmpty }.joined(separator: ",") + "]"
    }

    private func lagToken(_ instance: Instance, now: Date) -> String {
        if instance.isDetached { return "detached" }
        if !instance.isLastCheckValid || !instance.isRecentlyChecked(now: now, pollSeconds: pollSeconds) { return "unknown" }
        if instance.isReplica, !instance.isReplicationRunning || instance.secondsBehindMaster == nil { return "null" }
        return "\(instance.replicationLagSeconds ?? 0)s"
    }

    private func statusToken(_ instance: Instance, now: Date) -> String {
        if !instance.isLastCheckValid { return "invalid" }
        if !instance.isRecentlyChecked(now: now, pollSeconds: pollSeconds) { return "unchecked" }
        if instance.isReplica, !instance.isReplicationRunning { return "nonreplicating" }
        if instance.isReplica, !instance.hasReasonableReplicationLag(threshold: reasonableMaintenanceReplicationLagSeconds) { return "lag" }
        return "ok"
    }

    private func extras(_ instance: Instance) -> [String] {
        var extras: [String] = []
        if instance.logBinEnabled, instance.logReplicationUpdatesEnabled { extras.append(">>") }
        if instance.usingGTID || instance.supportsOracleGTID {
            extras.append(instance.gtidErrant.isEmpty ? "GTID" : "GTID:errant")
        }
        if instance.semiSyncMasterStatus { extras.append("semi:master") }
        if instance.semiSyncReplicaStatus { extras.append("semi:replica") }
        if instance.isDowntimed { extras.append("downtimed") }
        return extras
    }
}
