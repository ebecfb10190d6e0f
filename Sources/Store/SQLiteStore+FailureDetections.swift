import Foundation
import GRDB
import Topology

extension SQLiteStore {
    /// Registers a detection unless one with the same instance and actionability is still in
    /// its active period. Returns the new id, or `nil` when an active one already exists.
    package func registerFailureDetection(_ detection: FailureDetection) async throws(StoreError) -> Int64? {
        try await write("register failure detection \(detection.analysis) on \(detection.key)") { db in
            try db.execute(
                sql: """
                INSERT OR IGNORE INTO topology_failure_detection
                  (hostname, port, in_active_period, end_active_period_unixtime, processing_node_hostname, processing_node_token,
                   analysis, cluster_name, cluster_alias, count_affected_slaves, slave_hosts, is_actionable, start_active_period,
                   count_valid_replicas, count_valid_replicating_replicas, count_replicas_failing_to_connect)
                VALUES (?, ?, 1, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                arguments: [
                    detection.key.hostname, detection.key.port, detection.processingNodeHostname, detection.processingNodeToken,
                    detection.analysis, detection.clusterName, detection.clusterAlias, detection.countReplicas,
                    detection.replicas.map(\.description).joined(separator: ","), detection.isActionable, detection.startActivePeriod,
                    detection.countValidReplicas, detection.countValidReplicatingReplicas, detection.countReplicasFailingToConnect,
                ]
            )
            return db.changesCount > 0 ? db.lastInsertedRowID : nil
        }
    }

    /// Ends the active period of detections that started before `cutoff`; returns how many.
    @discardableResult
    package func expireFailureDetections(startedBefore cutoff: Date, at now: Date) async throws(StoreError) -> Int {
        try await endActivePeriods("expire failure detections", where: "start_active_period < ?", [cutoff], at: now)
    }

    /// Ends the active period of an instance's detections (acknowledgement, or a recovery took care of it).
    @discardableResult
    package func endFailureDetections(of key: InstanceKey, at now: Date) async throws(StoreError) -> Int {
        try await endActivePeriods("end failure detections of \(key)", where: "hostname = ? AND port = ?", [key.hostname, key.port], at: now)
    }

    private func endActivePeriods(
        _ operation: String, where condition: String, _ arguments: StatementArguments, at now: Date
    ) async throws(StoreError) -> Int {
        try await write(operation) { db in
            try db.execute(
                sql: """
                UPDATE topology_failure_detection SET in_active_period = 0, end_active_period_unixtime = ?
                WHERE in_active_period = 1 AND \(condition)
                """,
                arguments: [Int64(now.timeIntervalSince1970)] + arguments
            )
            return db.changesCount
        }
    }

    /// Page `page` (from 0) of detections, newest first; optionally one id or one cluster alias.
    package func failureDetections(page: Int = 0, pageSize: Int = 20, id: Int64? = nil, clusterAlias: String? = nil) async throws(StoreError) -> [FailureDetection] {
        guard pageSize > 0 else { return [] }
        var sql = "SELECT * FROM topology_failure_detection"
        var arguments: StatementArguments = []
        if let id {
            sql += " WHERE detection_id = ?"
            arguments += [id]
        } else if let clusterAlias {
            sql += " WHERE cluster_alias = ?"
            arguments += [clusterAlias]
        }
        sql += " ORDER BY detection_id DESC LIMIT ? OFFSET ?"
        arguments += [pageSize, max(0, page) * pageSize]
        return try await read("read failure detections") { [sql, arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let hosts: String = row["slave_hosts"]
                return FailureDetection(
                    id: row["detection_id"], key: InstanceKey(hostname: row["hostname"], port: row["port"]), analysis: row["analysis"],
                    clusterName: row["cluster_name"], clusterAlias: row["cluster_alias"], countReplicas: row["count_affected_slaves"],
                    countValidReplicas: row["count_valid_replicas"], countValidReplicatingReplicas: row["count_valid_replicating_replicas"],
                    countReplicasFailingToConnect: row["count_replicas_failing_to_connect"],
                    replicas: hosts.split(separator: ",").compactMap { try? InstanceKey(parsing: String($0), defaultPort: 3306) },
                    isActionable: row["is_actionable"], startActivePeriod: row["start_active_period"],
                    isActive: row["in_active_period"], processingNodeHostname: row["processing_node_hostname"],
                    processingNodeToken: row["processing_node_token"], relatedRecoveryID: row["related_recovery_id"]
                )
            }
        }
    }
}
