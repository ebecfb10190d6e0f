import Foundation
import GRDB
import Topology

extension SQLiteStore {
    // MARK: Cluster aliases (orchestrator's `cluster_alias_override`)

    /// Sets or replaces the operator's alias of a cluster.
    package func setClusterAlias(_ alias: String, forCluster clusterName: String) async throws(StoreError) {
        try await write("set the alias of cluster \(clusterName)") { db in
            try db.execute(
                sql: """
                INSERT INTO cluster_alias_override (cluster_name, alias) VALUES (?, ?)
                ON CONFLICT(cluster_name) DO UPDATE SET alias = excluded.alias
                """,
                arguments: [clusterName, alias]
            )
        }
    }

    /// Hands `alias` to the cluster `newCluster` after a master failover: in one transaction, the
    /// old cluster's override and every other claim on the alias go, so one cluster holds it.
    package func moveClusterAlias(_ alias: String, from oldCluster: String, to newCluster: String) async throws(StoreError) {
        try await write("move alias \(alias) from cluster \(oldCluster) to \(newCluster)") { db in
            try db.execute(sql: "DELETE FROM cluster_alias_override WHERE cluster_name = ? OR alias = ?", arguments: [oldCluster, alias])
            try db.execute(
                sql: """
                INSERT INTO cluster_alias_override (cluster_name, alias) VALUES (?, ?)
                ON CONFLICT(cluster_name) DO UPDATE SET alias = excluded.alias
                """,
                arguments: [newCluster, alias]
            )
        }
    }

    /// Cluster name → alias, as set by operators.
    package func clusterAliases() async throws(StoreError) -> [String: String] {
        let pairs = try await read("read cluster aliases") { db in
            try Row.fetchAll(db, sql: "SELECT cluster_name, alias FROM cluster_alias_override")
                .map { ($0["cluster_name"] as String, $0["alias"] as String) }
        }
        return Dictionary(pairs, uniquingKeysWith: { $1 })
    }

    // MARK: Audit (orchestrator's `audit`)

    /// Appends the entry (its `id` is ignored) and returns the id it was given.
    @discardableResult
    package func appendAudit(_ entry: AuditEntry) async throws(StoreError) -> Int64 {
        try await write("append audit entry '\(entry.type)'") { db in
            try db.execute(
                sql: "INSERT INTO audit (audit_timestamp, audit_type, hostname, port, message) VALUES (?, ?, ?, ?, ?)",
                arguments: [entry.timestamp, entry.type, entry.instanceKey?.hostname ?? "", entry.instanceKey?.port ?? 0, entry.message]
            )
            return db.lastInsertedRowID
        }
    }

    /// Page `page` (from 0) of the audit log, newest first, optionally about one instance only.
    package func auditEntries(page: Int, pageSize: Int = 20, instance: InstanceKey? = nil) async throws(StoreError) -> [AuditEntry] {
        // SQLite reads a negative LIMIT as "no limit".
        guard pageSize > 0 else { return [] }
        var sql = "SELECT audit_id, audit_timestamp, audit_type, hostname, port, message FROM audit"
        var arguments: StatementArguments = []
        if let instance {
            sql += " WHERE hostname = ? AND port = ?"
            arguments += [instance.hostname, instance.port]
        }
        // Ids grow with time, and unlike timestamps they never tie.
        sql += " ORDER BY audit_id DESC LIMIT ? OFFSET ?"
        arguments += [pageSize, max(0, page) * pageSize]
        return try await read("read audit page \(page)") { [sql, arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let host: String = row["hostname"]
                let port: Int = row["port"]
                return AuditEntry(
                    id: row["audit_id"], timestamp: row["audit_timestamp"], type: row["audit_type"],
                    instanceKey: host.isEmpty ? nil : InstanceKey(hostname: host, port: port), message: row["message"]
                )
            }
        }
    }
}
