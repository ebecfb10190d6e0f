import Foundation
import GRDB
import Topology

extension SQLiteStore {
    // MARK: Pools (orchestrator's `database_instance_pool`)

    /// Makes `keys` the whole membership of `pool`, in one transaction.
    package func replacePool(_ pool: String, with keys: [InstanceKey], at now: Date) async throws(StoreError) {
        try await write("replace the instances of pool \(pool)") { db in
            try db.execute(sql: "DELETE FROM database_instance_pool WHERE pool = ?", arguments: [pool])
            for key in Set(keys) {
                try db.execute(
                    sql: "INSERT INTO database_instance_pool (hostname, port, pool, registered_at) VALUES (?, ?, ?, ?)",
                    arguments: [key.hostname, key.port, pool, now]
                )
            }
        }
    }

    /// Every pool's members, sorted by host then port.
    package func pools() async throws(StoreError) -> [String: [InstanceKey]] {
        try await read("read pools") { db in
            var pools: [String: [InstanceKey]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT pool, hostname, port FROM database_instance_pool ORDER BY pool, hostname, port") {
                pools[row["pool"], default: []].append(InstanceKey(hostname: row["hostname"], port: row["port"]))
            }
            return pools
        }
    }

    // MARK: Hostname unresolve (orchestrator's `hostname_unresolve`)

    package func registerHostnameUnresolve(_ hostname: String, as unresolved: String, at now: Date) async throws(StoreError) {
        try await write("register \(unresolved) as the unresolved name of \(hostname)") { db in
            try db.execute(
                sql: """
                INSERT INTO hostname_unresolve (hostname, unresolved_hostname, last_registered) VALUES (?, ?, ?)
                ON CONFLICT (hostname) DO UPDATE SET unresolved_hostname = excluded.unresolved_hostname, last_registered = excluded.last_registered
                """,
                arguments: [hostname, unresolved, now]
            )
        }
    }

    /// Whether `hostname` had an unresolved name.
    @discardableResult
    package func deregisterHostnameUnresolve(_ hostname: String) async throws(StoreError) -> Bool {
        try await write("deregister the unresolved name of \(hostname)") { db in
            try db.execute(sql: "DELETE FROM hostname_unresolve WHERE hostname = ?", arguments: [hostname])
            return db.changesCount > 0
        }
    }

    /// Host → unresolved (virtual) name.
    package func hostnameUnresolves() async throws(StoreError) -> [String: String] {
        try await read("read unresolved hostnames") { db in
            let pairs = try Row.fetchAll(db, sql: "SELECT hostname, unresolved_hostname FROM hostname_unresolve")
                .map { ($0["hostname"] as String, $0["unresolved_hostname"] as String) }
            return Dictionary(pairs, uniquingKeysWith: { $1 })
        }
    }

    // MARK: Topology snapshots (orchestrator's `database_instance_topology_history`)

    /// Records who replicates from whom, now, for every instance given.
    package func snapshotTopology(_ instances: [Instance], at now: Date) async throws(StoreError) {
        try await write("snapshot the topologies") { db in
            let stamp = Int64(now.timeIntervalSince1970)
            for instance in instances {
                try db.execute(
                    sql: """
                    INSERT OR REPLACE INTO database_instance_topology_history
                        (snapshot_unix_timestamp, hostname, port, master_host, master_port, cluster_name, version)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                    arguments: [stamp, instance.key.hostname, instance.key.port, instance.masterKey.hostname, instance.masterKey.port,
                                instance.clusterName, instance.version]
                )
            }
        }
    }

    /// The instances and their masters at each recorded snapshot, oldest first.
    package func topologySnapshots() async throws(StoreError) -> [(at: Date, key: InstanceKey, master: InstanceKey, clusterName: String)] {
        try await read("read topology snapshots") { db in
            try Row.fetchAll(db, sql: """
                SELECT snapshot_unix_timestamp, hostname, port, master_host, master_port, cluster_name
                FROM database_instance_topology_history ORDER BY snapshot_unix_timestamp, hostname, port
                """).map { row in
                (Date(timeIntervalSince1970: TimeInterval(row["snapshot_unix_timestamp"] as Int64)),
                 InstanceKey(hostname: row["hostname"], port: row["port"]),
                 InstanceKey(hostname: row["master_host"], port: row["master_port"]),
                 row["cluster_name"] as String)
            }
        }
    }
}
