import Foundation
import GRDB
import Topology

extension SQLiteStore {
    /// The outcome of asking for a maintenance lock.
    package enum MaintenanceGrant: Sendable, Equatable {
        case granted(MaintenanceEntry)
        case refused(MaintenanceConflict)
    }

    /// Takes the maintenance lock of `key` until `endsAt`, in one transaction: a lock whose end
    /// has passed is ended first (an expired lock never blocks), then the insert succeeds only
    /// when no other active lock exists. A refusal names the holder.
    package func beginMaintenance(
        _ key: InstanceKey, owner: String, reason: String, endsAt: Date, isExplicit: Bool, node: String, at now: Date
    ) async throws(StoreError) -> MaintenanceGrant {
        try await write("begin maintenance on \(key)") { db in
            try Self.endExpiredMaintenance(db, at: now)
            try db.execute(
                sql: """
                INSERT OR IGNORE INTO database_instance_maintenance
                (hostname, port, maintenance_active, begin_timestamp, end_timestamp, owner, reason, explicitly_bounded, processing_node)
                VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?)
                """,
                arguments: [key.hostname, key.port, now, endsAt, owner, reason, isExplicit, node]
            )
            if db.changesCount == 1 {
                return .granted(MaintenanceEntry(
                    id: db.lastInsertedRowID, key: key, owner: owner, reason: reason, beginsAt: now, endsAt: endsAt, isActive: true, isExplicit: isExplicit
                ))
            }
            let holder = try Row.fetchOne(
                db, sql: "SELECT * FROM database_instance_maintenance WHERE hostname = ? AND port = ? AND maintenance_active = 1", arguments: [key.hostname, key.port]
            ).map(Self.maintenanceEntry)
            guard let holder else { throw StoreError(operation: "begin maintenance on \(key)", path: "", reason: "refused without a holder") }
            return .refused(MaintenanceConflict(requested: key, requestedReason: reason, holder: holder))
        }
    }

    /// Ends one lock by its id; returns whether it was active.
    @discardableResult
    package func endMaintenance(id: Int64, at now: Date) async throws(StoreError) -> Bool {
        try await write("end maintenance \(id)") { db in try Self.endLock(db, id: id, at: now) }
    }

    /// Ends the locks `ids`, even when the calling task is cancelled: an operation cancelled
    /// mid-way still releases what it took, or its instances stay locked until the locks expire.
    package func endMaintenanceEvenIfCancelled(ids: [Int64], at now: Date) async throws(StoreError) {
        guard !ids.isEmpty else { return }
        try await writeEvenIfCancelled("end maintenance \(ids.map(String.init).joined(separator: ","))") { db in
            for id in ids { _ = try Self.endLock(db, id: id, at: now) }
        }
    }

    /// Ends lock `id` if still active; whether it was.
    private static func endLock(_ db: Database, id: Int64, at now: Date) throws -> Bool {
        try db.execute(
            sql: "UPDATE database_instance_maintenance SET maintenance_active = NULL, end_timestamp = ? WHERE maintenance_id = ? AND maintenance_active = 1",
            arguments: [now, id]
        )
        return db.changesCount > 0
    }

    /// Ends the active lock of `key`, if any; returns whether there was one.
    @discardableResult
    package func endMaintenance(_ key: InstanceKey, at now: Date) async throws(StoreError) -> Bool {
        try await write("end maintenance on \(key)") { db in
            try db.execute(
                sql: """
                UPDATE database_instance_maintenance SET maintenance_active = NULL, end_timestamp = ?
                WHERE hostname = ? AND port = ? AND maintenance_active = 1
                """,
                arguments: [now, key.hostname, key.port]
            )
            return db.changesCount > 0
        }
    }

    /// Locks held now (`maintenance` route); expired ones are not listed.
    package func activeMaintenance(at now: Date) async throws(StoreError) -> [MaintenanceEntry] {
        try await read("read maintenance") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM database_instance_maintenance WHERE maintenance_active = 1 AND end_timestamp > ? ORDER BY maintenance_id",
                arguments: [now]
            ).map(Self.maintenanceEntry)
        }
    }

    /// Ends expired locks and deletes ended ones older than `retention`; returns how many ended.
    @discardableResult
    package func expireMaintenance(at now: Date, retention: TimeInterval = 7 * 24 * 3600) async throws(StoreError) -> Int {
        try await write("expire maintenance") { db in
            let ended = try Self.endExpiredMaintenance(db, at: now)
            try db.execute(
                sql: "DELETE FROM database_instance_maintenance WHERE maintenance_active IS NULL AND end_timestamp < ?",
                arguments: [now.addingTimeInterval(-retention)]
            )
            return ended
        }
    }

    @discardableResult
    private static func endExpiredMaintenance(_ db: Database, at now: Date) throws -> Int {
        try db.execute(
            sql: "UPDATE database_instance_maintenance SET maintenance_active = NULL WHERE maintenance_active = 1 AND end_timestamp <= ?",
            arguments: [now]
        )
        return db.changesCount
    }

    private static func maintenanceEntry(_ row: Row) -> MaintenanceEntry {
        MaintenanceEntry(
            id: row["maintenance_id"], key: InstanceKey(hostname: row["hostname"], port: row["port"]),
            owner: row["owner"], reason: row["reason"], beginsAt: row["begin_timestamp"], endsAt: row["end_timestamp"],
            isActive: (row["maintenance_active"] as Int?) == 1, isExplicit: row["explicitly_bounded"]
        )
    }
}
