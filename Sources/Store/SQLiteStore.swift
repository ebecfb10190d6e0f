import Foundation
import GRDB
import Topology

/// The embedded store: instances, cluster aliases and the audit log in one SQLite file.
package final class SQLiteStore: Sendable {
    private let writer: any DatabaseWriter
    package let path: String

    /// Opens (or creates) the file and brings its schema up to date.
    package init(path: String) throws(StoreError) {
        self.path = path
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            let pool = try DatabasePool(path: path, configuration: configuration)
            try StoreMigrations.migrator.migrate(pool)
            writer = pool
        } catch {
            throw StoreError("cannot open store \(path): \(error)")
        }
    }

    private init(queue: DatabaseQueue) throws(StoreError) {
        path = ":memory:"
        do {
            try StoreMigrations.migrator.migrate(queue)
        } catch {
            throw StoreError("cannot create in-memory store: \(error)")
        }
        writer = queue
    }

    package static func inMemory() throws(StoreError) -> SQLiteStore {
        do {
            return try SQLiteStore(queue: DatabaseQueue())
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("cannot create in-memory store: \(error)")
        }
    }

    // MARK: Instances

    package func upsertInstance(_ instance: Instance) async throws {
        try await upsertInstances([instance])
    }

    /// Writes all in one transaction.
    package func upsertInstances(_ instances: [Instance]) async throws {
        let encoder = JSONEncoder()
        let rows = try instances.map { ($0, try encoder.encode($0)) }
        try await writer.write { db in
            for (instance, data) in rows {
                try db.execute(
                    sql: """
                    INSERT INTO database_instance (hostname, port, cluster_name, master_host, master_port, last_checked, last_seen, last_attempted_check, data)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(hostname, port) DO UPDATE SET cluster_name = excluded.cluster_name,
                        master_host = excluded.master_host, master_port = excluded.master_port,
                        last_checked = excluded.last_checked, last_seen = excluded.last_seen,
                        last_attempted_check = excluded.last_attempted_check, data = excluded.data
                    """,
                    arguments: [instance.key.hostname, instance.key.port, instance.clusterName, instance.masterKey.hostname,
                                instance.masterKey.port, instance.lastChecked, instance.lastSeen, instance.lastAttemptedCheck, data]
                )
            }
        }
    }

    package func instance(_ key: InstanceKey) async throws -> Instance? {
        try await read("SELECT data FROM database_instance WHERE hostname = ? AND port = ?", [key.hostname, key.port]).first
    }

    /// Ordered by host name, then port.
    package func allInstances() async throws -> [Instance] {
        try await read("SELECT data FROM database_instance ORDER BY hostname, port", [])
    }

    package func instances(inCluster clusterName: String) async throws -> [Instance] {
        try await read("SELECT data FROM database_instance WHERE cluster_name = ? ORDER BY hostname, port", [clusterName])
    }

    @discardableResult
    package func forgetInstance(_ key: InstanceKey) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM database_instance WHERE hostname = ? AND port = ?", arguments: [key.hostname, key.port])
            return db.changesCount > 0
        }
    }

    private func read(_ sql: String, _ arguments: StatementArguments) async throws -> [Instance] {
        let blobs = try await writer.read { db in try Data.fetchAll(db, sql: sql, arguments: arguments) }
        let decoder = JSONDecoder()
        return try blobs.map { blob in
            do {
                return try decoder.decode(Instance.self, from: blob)
            } catch {
                throw StoreError("corrupt instance row in \(path): \(error)")
            }
        }
    }

    // MARK: Cluster aliases

    package func setClusterAlias(_ alias: String, forCluster clusterName: String) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "INSERT INTO cluster_alias_override (cluster_name, alias) VALUES (?, ?) ON CONFLICT(cluster_name) DO UPDATE SET alias = excluded.alias",
                arguments: [clusterName, alias]
            )
        }
    }

    /// Cluster name → alias set by an operator.
    package func clusterAliases() async throws -> [String: String] {
        // Rows are not Sendable: turn them into plain values inside the read.
        let pairs = try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT cluster_name, alias FROM cluster_alias_override")
                .map { ($0["cluster_name"] as String, $0["alias"] as String) }
        }
        return Dictionary(pairs, uniquingKeysWith: { $1 })
    }

    // MARK: Audit

    @discardableResult
    package func appendAudit(_ entry: AuditEntry) async throws -> Int64 {
        try await writer.write { db in
            try db.execute(
                sql: "INSERT INTO audit (audit_timestamp, audit_type, hostname, port, message) VALUES (?, ?, ?, ?, ?)",
                arguments: [entry.timestamp, entry.type, entry.instanceKey?.hostname ?? "", entry.instanceKey?.port ?? 0, entry.message]
            )
            return db.lastInsertedRowID
        }
    }

    /// Newest first.
    package func auditEntries(page: Int, pageSize: Int = 20, instance: InstanceKey? = nil) async throws -> [AuditEntry] {
        var sql = "SELECT * FROM audit"
        var arguments: StatementArguments = []
        if let instance {
            sql += " WHERE hostname = ? AND port = ?"
            arguments += [instance.hostname, instance.port]
        }
        sql += " ORDER BY audit_id DESC LIMIT ? OFFSET ?"
        arguments += [pageSize, max(0, page) * pageSize]
        return try await writer.read { [sql, arguments] db in
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
