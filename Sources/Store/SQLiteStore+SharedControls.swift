import Foundation
import GRDB
import Topology

extension SQLiteStore {
    /// Makes this node's downtimes, hand-taken maintenance locks, promotion rules, global
    /// recovery switch and tags what the nodes share (`SharedControls`, read from etcd), in one
    /// transaction: a reader never sees half of it. Locks an operation took on this node are
    /// left alone; a shared lock on an instance one of them holds is taken when it ends.
    ///
    /// Returns whether the store now holds all of it: `false` while a shared lock waits for an
    /// operation's lock on the same instance to end.
    @discardableResult
    package func mirror(_ controls: SharedControls, node: String, at now: Date) async throws(StoreError) -> Bool {
        try await write("mirror the controls shared through etcd") { db in
            try db.execute(sql: "DELETE FROM database_instance_downtime")
            for downtime in controls.downtimes(activeAt: now) {
                try db.execute(
                    sql: "INSERT INTO database_instance_downtime (hostname, port, begin_timestamp, end_timestamp, owner, reason) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [downtime.key.hostname, downtime.key.port, downtime.beginsAt, downtime.endsAt, downtime.owner, downtime.reason]
                )
            }
            let locksHeld = try Self.mirrorMaintenance(db, controls.maintenance(activeAt: now), node: node, at: now)
            try db.execute(sql: "DELETE FROM candidate_database_instance")
            for candidate in controls.candidates {
                try db.execute(
                    sql: "INSERT INTO candidate_database_instance (hostname, port, promotion_rule, last_suggested) VALUES (?, ?, ?, ?)",
                    arguments: [candidate.key.hostname, candidate.key.port, candidate.rule.rawValue, candidate.registeredAt]
                )
            }
            try Self.mirrorTags(db, controls.tags, at: now)
            if controls.recoveriesDisabled {
                try db.execute(sql: "INSERT OR IGNORE INTO global_recovery_disable (disable_recovery) VALUES (1)")
            } else {
                try db.execute(sql: "DELETE FROM global_recovery_disable")
            }
            return locksHeld
        }
    }

    /// Only what differs is written: a tag keeps its `last_updated` while it stays the same.
    private static func mirrorTags(_ db: Database, _ tags: [InstanceKey: [String: String]], at now: Date) throws {
        var held: [InstanceKey: [String: String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT hostname, port, tag_name, tag_value FROM database_instance_tags") {
            held[InstanceKey(hostname: row["hostname"], port: row["port"]), default: [:]][row["tag_name"]] = row["tag_value"] as String
        }
        for (key, named) in held {
            for name in named.keys where tags[key]?[name] == nil {
                try db.execute(
                    sql: "DELETE FROM database_instance_tags WHERE hostname = ? AND port = ? AND tag_name = ?", arguments: [key.hostname, key.port, name]
                )
            }
        }
        for (key, named) in tags {
            for (name, value) in named where held[key]?[name] != value {
                try db.execute(
                    sql: """
                    INSERT INTO database_instance_tags (hostname, port, tag_name, tag_value, last_updated) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (hostname, port, tag_name) DO UPDATE SET tag_value = excluded.tag_value, last_updated = excluded.last_updated
                    """,
                    arguments: [key.hostname, key.port, name, value, now]
                )
            }
        }
    }

    /// Whether every shared lock is held here afterwards.
    private static func mirrorMaintenance(_ db: Database, _ locks: [SharedMaintenanceLock], node: String, at now: Date) throws -> Bool {
        let held = try Row.fetchAll(
            db, sql: "SELECT * FROM database_instance_maintenance WHERE maintenance_active = 1 AND explicitly_bounded = 1"
        ).map { row in
            (id: row["maintenance_id"] as Int64, key: InstanceKey(hostname: row["hostname"], port: row["port"]), beginsAt: row["begin_timestamp"] as Date)
        }
        // The store keeps milliseconds: a lock is the same one when it began within one.
        func same(_ lock: SharedMaintenanceLock, _ row: (id: Int64, key: InstanceKey, beginsAt: Date)) -> Bool {
            lock.key == row.key && abs(lock.beginsAt.timeIntervalSince(row.beginsAt)) < 0.002
        }
        for row in held where !locks.contains(where: { same($0, row) }) {
            try db.execute(
                sql: "UPDATE database_instance_maintenance SET maintenance_active = NULL, end_timestamp = ? WHERE maintenance_id = ?",
                arguments: [now, row.id]
            )
        }
        var complete = true
        for lock in locks where !held.contains(where: { same(lock, $0) }) {
            try db.execute(
                sql: """
                INSERT OR IGNORE INTO database_instance_maintenance
                (hostname, port, maintenance_active, begin_timestamp, end_timestamp, owner, reason, explicitly_bounded, processing_node)
                VALUES (?, ?, 1, ?, ?, ?, ?, 1, ?)
                """,
                arguments: [lock.key.hostname, lock.key.port, lock.beginsAt, lock.endsAt, lock.owner, lock.reason, lock.node.isEmpty ? node : lock.node]
            )
            if db.changesCount == 0 { complete = false }
        }
        return complete
    }
}
