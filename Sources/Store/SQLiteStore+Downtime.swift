import Foundation
import GRDB
import Topology

extension SQLiteStore {
    /// Begins (or replaces) the instance's downtime.
    package func beginDowntime(_ downtime: Downtime) async throws(StoreError) {
        try await write("begin downtime on \(downtime.key)") { db in
            try db.execute(
                sql: """
                INSERT INTO database_instance_downtime (hostname, port, begin_timestamp, end_timestamp, owner, reason) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (hostname, port) DO UPDATE SET begin_timestamp = excluded.begin_timestamp,
                    end_timestamp = excluded.end_timestamp, owner = excluded.owner, reason = excluded.reason
                """,
                arguments: [downtime.key.hostname, downtime.key.port, downtime.beginsAt, downtime.endsAt, downtime.owner, downtime.reason]
            )
        }
    }

    /// Ends the instance's downtime — only the one that began at `beganAt` when given, so a
    /// downtime begun meanwhile in its place is kept; whether one was ended.
    @discardableResult
    package func endDowntime(_ key: InstanceKey, beganAt: Date? = nil) async throws(StoreError) -> Bool {
        try await write("end downtime on \(key)") { db in
            if let beganAt {
                try db.execute(
                    sql: "DELETE FROM database_instance_downtime WHERE hostname = ? AND port = ? AND begin_timestamp = ?",
                    arguments: [key.hostname, key.port, beganAt]
                )
            } else {
                try db.execute(sql: "DELETE FROM database_instance_downtime WHERE hostname = ? AND port = ?", arguments: [key.hostname, key.port])
            }
            return db.changesCount > 0
        }
    }

    /// Every stored downtime, ended by time or not.
    package func downtimes() async throws(StoreError) -> [Downtime] {
        try await read("read downtimes") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM database_instance_downtime ORDER BY hostname, port").map { row in
                Downtime(
                    key: InstanceKey(hostname: row["hostname"], port: row["port"]), owner: row["owner"], reason: row["reason"],
                    beginsAt: row["begin_timestamp"], endsAt: row["end_timestamp"]
                )
            }
        }
    }
}
