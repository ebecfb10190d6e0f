import Foundation
import GRDB
import Topology

/// Which recoveries a history listing shows.
package struct RecoveryQuery: Sendable, Equatable {
    package var id: Int64?
    package var uid: String?
    package var clusterName: String?
    package var clusterAlias: String?
    /// Recoveries whose failed instance, or whose successor, is this one.
    package var failedInstance: InstanceKey?
    package var unacknowledgedOnly = false
    package var page = 0
    package var pageSize = 20

    package init() {}
}

extension SQLiteStore {
    /// Recoveries, newest first, as the history routes list them.
    package func recoveries(_ query: RecoveryQuery) async throws(StoreError) -> [TopologyRecovery] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let id = query.id { conditions.append("recovery_id = ?"); arguments += [id] }
        if let uid = query.uid { conditions.append("uid = ?"); arguments += [uid] }
        if let name = query.clusterName { conditions.append("cluster_name = ?"); arguments += [name] }
        if let alias = query.clusterAlias { conditions.append("cluster_alias = ?"); arguments += [alias] }
        if let key = query.failedInstance { conditions.append("hostname = ? AND port = ?"); arguments += [key.hostname, key.port] }
        if query.unacknowledgedOnly { conditions.append("acknowledged = 0") }
        let condition = conditions.isEmpty ? "1 = 1" : conditions.joined(separator: " AND ")
        return try await recoveries(
            where: condition + " ORDER BY recovery_id DESC LIMIT \(max(0, query.pageSize)) OFFSET \(max(0, query.page) * max(0, query.pageSize))", arguments
        )
    }

    /// Recoveries of a cluster still in their active period and not ended.
    package func activeRecoveries(clusterName: String) async throws(StoreError) -> [TopologyRecovery] {
        try await recoveries(where: "cluster_name = ? AND in_active_period = 1 AND end_recovery IS NULL ORDER BY recovery_id DESC", [clusterName])
    }

    /// Recoveries of a cluster (or that promoted an instance) that ended after `since`.
    package func recentlyEndedRecoveries(clusterName: String? = nil, successor: InstanceKey? = nil, since: Date) async throws(StoreError) -> [TopologyRecovery] {
        if let successor {
            return try await recoveries(
                where: "successor_hostname = ? AND successor_port = ? AND end_recovery >= ? ORDER BY recovery_id DESC", [successor.hostname, successor.port, since]
            )
        }
        return try await recoveries(where: "cluster_name = ? AND end_recovery >= ? ORDER BY recovery_id DESC", [clusterName ?? "", since])
    }

    /// Recoveries in their active period, any cluster: what blocks new ones.
    package func recoveriesInActivePeriod() async throws(StoreError) -> [TopologyRecovery] {
        try await recoveries(where: "in_active_period = 1 ORDER BY recovery_id DESC", [])
    }

    package func recoverySteps(uid: String) async throws(StoreError) -> [RecoveryStepRecord] {
        try await read("read steps of recovery \(uid)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM topology_recovery_steps WHERE recovery_uid = ? ORDER BY recovery_step_id", arguments: [uid]).map { row in
                RecoveryStepRecord(id: row["recovery_step_id"], recoveryUID: row["recovery_uid"], auditAt: row["audit_at"], message: row["message"])
            }
        }
    }

    package func blockedRecoveries(clusterName: String? = nil) async throws(StoreError) -> [BlockedRecovery] {
        try await read("read blocked recoveries") { db in
            let sql = "SELECT * FROM blocked_topology_recovery" + (clusterName == nil ? "" : " WHERE cluster_name = ?") + " ORDER BY last_blocked_timestamp DESC"
            let arguments: StatementArguments = clusterName.map { [$0] } ?? []
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                BlockedRecovery(
                    key: InstanceKey(hostname: row["hostname"], port: row["port"]), clusterName: row["cluster_name"], analysis: row["analysis"],
                    lastBlockedTimestamp: row["last_blocked_timestamp"], blockingRecoveryID: row["blocking_recovery_id"]
                )
            }
        }
    }

    func recoveries(where condition: String, _ arguments: StatementArguments) async throws(StoreError) -> [TopologyRecovery] {
        try await read("read recoveries") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM topology_recovery WHERE " + condition, arguments: arguments).map(Self.recovery(from:))
        }
    }

    static func recovery(from row: Row) -> TopologyRecovery {
        var recovery = TopologyRecovery(
            uid: row["uid"], key: InstanceKey(hostname: row["hostname"], port: row["port"]), analysis: row["analysis"],
            clusterName: row["cluster_name"], clusterAlias: row["cluster_alias"], replicas: keys(row["slave_hosts"]),
            type: row["type"], recoveryType: row["recovery_type"], commandHint: row["command_hint"], startActivePeriod: row["start_active_period"],
            processingNodeHostname: row["processing_node_hostname"], processingNodeToken: row["processing_node_token"]
        )
        recovery.id = row["recovery_id"]
        recovery.countReplicas = row["count_affected_slaves"]
        recovery.isActive = row["in_active_period"]
        recovery.endRecovery = row["end_recovery"]
        if let host: String = row["successor_hostname"], let port: Int = row["successor_port"] { recovery.successor = InstanceKey(hostname: host, port: port) }
        recovery.successorAlias = row["successor_alias"]
        if let file: String = row["successor_log_file"], let position: Int64 = row["successor_log_pos"] {
            recovery.successorBinlogCoordinates = BinlogCoordinates(logFile: file, logPos: position)
        }
        recovery.isSuccessful = row["is_successful"]
        recovery.participatingInstances = keys(row["participating_instances"])
        recovery.lostReplicas = keys(row["lost_slaves"])
        let errors: String = row["all_errors"]
        recovery.allErrors = errors.isEmpty ? [] : errors.components(separatedBy: "\n")
        recovery.isAcknowledged = row["acknowledged"]
        recovery.acknowledgedAt = row["acknowledged_at"]
        recovery.acknowledgedBy = row["acknowledged_by"]
        recovery.acknowledgedComment = row["acknowledge_comment"]
        recovery.lastDetectionID = row["last_detection_id"]
        recovery.planSummary = row["plan_summary"]
        recovery.lostTransactions = row["lost_transactions"]
        recovery.lastStep = row["last_step"]
        return recovery
    }

    private static func keys(_ text: String) -> [InstanceKey] {
        text.split(separator: ",").compactMap { try? InstanceKey(parsing: String($0), defaultPort: 3306) }
    }
}
