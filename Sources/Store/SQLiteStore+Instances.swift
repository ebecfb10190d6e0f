import Foundation
import GRDB
import Topology

extension SQLiteStore {
    /// Inserts or replaces the instance with the same key.
    package func upsertInstance(_ instance: Instance) async throws(StoreError) {
        try await upsertInstances([instance])
    }

    /// Inserts or replaces each instance, all in one transaction (one poll round, one commit).
    package func upsertInstances(_ instances: [Instance]) async throws(StoreError) {
        guard !instances.isEmpty else { return }
        let operation = instances.count == 1 ? "write instance \(instances[0].key)" : "write \(instances.count) instances"
        // The whole value is kept as JSON so that the schema need not change with each new
        // probe field; the columns beside it are only what queries select and sort by.
        let rows: [(Instance, Data)]
        do {
            let encoder = JSONEncoder()
            rows = try instances.map { ($0, try encoder.encode($0)) }
        } catch {
            throw StoreError(operation: operation, path: path, cause: error)
        }
        try await write(operation) { db in
            for (instance, data) in rows {
                try db.execute(
                    sql: """
                    INSERT INTO database_instance
                        (hostname, port, cluster_name, master_host, master_port, last_checked, last_seen, last_attempted_check, data)
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

    package func instance(_ key: InstanceKey) async throws(StoreError) -> Instance? {
        try await instances("read instance \(key)", where: "hostname = ? AND port = ?", [key.hostname, key.port]).first
    }

    /// Every instance, ordered by host name, then port.
    package func allInstances() async throws(StoreError) -> [Instance] {
        try await instances("read all instances", where: "1", [])
    }

    /// The instances whose cluster name is `clusterName`, ordered by host name, then port.
    package func instances(inCluster clusterName: String) async throws(StoreError) -> [Instance] {
        try await instances("read cluster \(clusterName)", where: "cluster_name = ?", [clusterName])
    }

    /// Removes the instance; `false` when it was not there.
    @discardableResult
    package func forgetInstance(_ key: InstanceKey) async throws(StoreError) -> Bool {
        try await write("forget instance \(key)") { db in
            try db.execute(sql: "DELETE FROM database_instance WHERE hostname = ? AND port = ?", arguments: [key.hostname, key.port])
            return db.changesCount > 0
        }
    }

    private func instances(_ operation: String, where condition: String, _ arguments: StatementArguments) async throws(StoreError) -> [Instance] {
        let sql = "SELECT hostname, port, data FROM database_instance WHERE \(condition) ORDER BY hostname, port"
        let rows = try await read(operation) { db in
            // Rows are not Sendable: turn them into plain values inside the read.
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                (key: "\(row["hostname"] as String):\(row["port"] as Int)", data: row["data"] as Data)
            }
        }
        let decoder = JSONDecoder()
        var instances: [Instance] = []
        instances.reserveCapacity(rows.count)
        for row in rows {
            do {
                instances.append(try Self.decodeInstance(row.data, decoder: decoder))
            } catch {
                throw StoreError(operation: operation, path: path, reason: "the row of \(row.key) does not decode: \(error)")
            }
        }
        return instances
    }

    /// A stored instance. A row written before a field existed lacks its key: it takes the
    /// field's default, so an upgraded daemon starts on the store its predecessor left.
    package static func decodeInstance(_ data: Data, decoder: JSONDecoder) throws -> Instance {
        do {
            return try decoder.decode(Instance.self, from: data)
        } catch DecodingError.keyNotFound {
            guard let stored = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let defaults = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Instance(key: InstanceKey(hostname: "", port: 0)))) as? [String: Any]
            else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "a stored instance is not a JSON object")) }
            let merged = defaults.merging(stored) { _, kept in kept }
            return try decoder.decode(Instance.self, from: JSONSerialization.data(withJSONObject: merged))
        }
    }
}
