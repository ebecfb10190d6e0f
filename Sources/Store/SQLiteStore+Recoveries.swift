import Foundation
import GRDB
import Topology

extension SQLiteStore {
    /// Registers a recovery of `recovery.key` in one transaction, so two attempts cannot both
    /// pass the checks (orchestrator reads, then inserts). Blocked when the failed instance was
    /// promoted by a recovery still in its active period (`blockOnRecentSuccessor`), or when its
    /// cluster has one (`blockOnActiveCluster`); blocked attempts are recorded. A forced
    /// recovery acknowledges the instance's completed recoveries first.
    package func registerRecovery(
        _ recovery: TopologyRecovery, blockOnRecentSuccessor: Bool, blockOnActiveCluster: Bool, forced: Bool, acknowledgedBy: String = "orchestrator"
    ) async throws(StoreError) -> RecoveryRegistration {
        try await write("register recovery of \(recovery.key)") { db in
            // One decision, in Topology; here only its facts are read and its answer applied,
            // in the transaction that inserts, so no two nodes or tasks both pass the check.
            let active = try Row.fetchAll(db, sql: "SELECT * FROM topology_recovery WHERE in_active_period = 1").map(Self.recovery(from:))
            let blocking = RecoveryGate.blockingRecoveries(
                of: recovery.key, clusterName: recovery.clusterName, active: active,
                blockOnRecentSuccessor: blockOnRecentSuccessor, blockOnActiveCluster: blockOnActiveCluster
            ).map(\.id)
            if let blocker = blocking.first {
                try db.execute(
                    sql: """
                    INSERT INTO blocked_topology_recovery (hostname, port, cluster_name, analysis, last_blocked_timestamp, blocking_recovery_id)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (hostname, port) DO UPDATE SET cluster_name = excluded.cluster_name, analysis = excluded.analysis,
                      last_blocked_timestamp = excluded.last_blocked_timestamp, blocking_recovery_id = excluded.blocking_recovery_id
                    """,
                    arguments: [recovery.key.hostname, recovery.key.port, recovery.clusterName, recovery.analysis, recovery.startActivePeriod, blocker]
                )
                return .blocked(by: blocking)
            }
            if forced {
                try Self.acknowledge(
                    db, where: "hostname = ? AND port = ? AND end_recovery IS NOT NULL", [recovery.key.hostname, recovery.key.port],
                    by: acknowledgedBy, comment: "implicit acknowledge due to user invocation of recovery on same instance: \(recovery.key)",
                    at: recovery.startActivePeriod
                )
            }
            let detectionID = try Int64.fetchOne(
                db, sql: "SELECT MAX(detection_id) FROM topology_failure_detection WHERE hostname = ? AND port = ?",
                arguments: [recovery.key.hostname, recovery.key.port]
            ) ?? 0
            guard try Self.insertActive(db, recovery, detectionID: detectionID) else { return .alreadyActive }
            var registered = recovery
            registered.id = db.lastInsertedRowID
            registered.lastDetectionID = detectionID
            if detectionID > 0 {
                try db.execute(sql: "UPDATE topology_failure_detection SET related_recovery_id = ? WHERE detection_id = ?", arguments: [registered.id, detectionID])
            }
            return .registered(registered)
        }
    }

    /// Records a step of a recovery, before it runs, and remembers it as the recovery's last step.
    package func appendRecoveryStep(uid: String, message: String, at now: Date) async throws(StoreError) {
        try await write("record a step of recovery \(uid)") { db in
            try db.execute(
                sql: "INSERT INTO topology_recovery_steps (recovery_uid, audit_at, message) VALUES (?, ?, ?)", arguments: [uid, now, message]
            )
            try db.execute(sql: "UPDATE topology_recovery SET last_step = ? WHERE uid = ?", arguments: [message, uid])
        }
    }

    /// Records how a recovery ended. The active period goes on (anti-flapping) until it expires or is acknowledged.
    package func resolveRecovery(_ recovery: TopologyRecovery, at now: Date) async throws(StoreError) {
        try await write("resolve recovery \(recovery.uid)") { db in try Self.recordResolution(db, recovery, at: now) }
    }

    /// Keeps a recovery another node ran (`SharedRecovery`), in its active period, unless this
    /// store has it already or has an active recovery of the same instance. Returns whether it
    /// was added.
    @discardableResult
    package func importRecovery(_ recovery: TopologyRecovery) async throws(StoreError) -> Bool {
        try await write("import recovery \(recovery.uid)") { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM topology_recovery WHERE uid = ?", arguments: [recovery.uid]) == 0,
                  try Self.insertActive(db, recovery, detectionID: 0) else { return false }
            try db.execute(sql: "UPDATE topology_recovery SET last_step = ? WHERE uid = ?", arguments: [recovery.lastStep, recovery.uid])
            if let ended = recovery.endRecovery { try Self.recordResolution(db, recovery, at: ended) }
            return true
        }
    }

    /// Inserts `recovery` in its active period; `false` when the instance has one already.
    private static func insertActive(_ db: Database, _ recovery: TopologyRecovery, detectionID: Int64) throws -> Bool {
        try db.execute(
            sql: """
            INSERT OR IGNORE INTO topology_recovery
              (uid, hostname, port, in_active_period, start_active_period, end_active_period_unixtime, processing_node_hostname,
               processing_node_token, analysis, cluster_name, cluster_alias, count_affected_slaves, slave_hosts, last_detection_id,
               recovery_type, type, command_hint)
            VALUES (?, ?, ?, 1, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            arguments: [
                recovery.uid, recovery.key.hostname, recovery.key.port, recovery.startActivePeriod, recovery.processingNodeHostname,
                recovery.processingNodeToken, recovery.analysis, recovery.clusterName, recovery.clusterAlias, recovery.countReplicas,
                joined(recovery.replicas), detectionID, recovery.recoveryType, recovery.type, recovery.commandHint,
            ]
        )
        return db.changesCount > 0
    }

    private static func recordResolution(_ db: Database, _ recovery: TopologyRecovery, at now: Date) throws {
        try db.execute(
            sql: """
            UPDATE topology_recovery SET end_recovery = ?, is_successful = ?, successor_hostname = ?, successor_port = ?,
              successor_alias = ?, successor_log_file = ?, successor_log_pos = ?, participating_instances = ?, lost_slaves = ?,
              all_errors = ?, plan_summary = ?, lost_transactions = ?, recovery_type = ?
            WHERE uid = ?
            """,
            arguments: [
                now, recovery.isSuccessful, recovery.successor?.hostname, recovery.successor?.port, recovery.successorAlias,
                recovery.successorBinlogCoordinates?.logFile, recovery.successorBinlogCoordinates?.logPos,
                joined(recovery.participatingInstances), joined(recovery.lostReplicas), recovery.allErrors.joined(separator: "\n"),
                recovery.planSummary, recovery.lostTransactions, recovery.recoveryType, recovery.uid,
            ]
        )
    }

    /// Ends the active period of recoveries that started before `cutoff` (`RecoveryPeriodBlockSeconds`).
    @discardableResult
    package func expireRecoveries(startedBefore cutoff: Date, at now: Date) async throws(StoreError) -> Int {
        try await write("expire recoveries") { db in
            try db.execute(
                sql: "UPDATE topology_recovery SET in_active_period = 0, end_active_period_unixtime = ? WHERE in_active_period = 1 AND start_active_period < ?",
                arguments: [Int64(now.timeIntervalSince1970), cutoff]
            )
            let expired = db.changesCount
            // Blocked attempts are shown while they keep being retried, and while their blocker is active.
            try db.execute(
                sql: """
                DELETE FROM blocked_topology_recovery WHERE last_blocked_timestamp < ?
                  OR blocking_recovery_id NOT IN (SELECT recovery_id FROM topology_recovery WHERE in_active_period = 1)
                """,
                arguments: [now.addingTimeInterval(-2)]
            )
            return expired
        }
    }

    /// Recoveries that another process started and never finished (it was killed): they are
    /// ended as failed, saying how far they got, and stay active so nobody recovers the same
    /// failure a second time until someone acknowledges it. Returns them.
    package func endInterruptedRecoveries(exceptToken token: String, at now: Date) async throws(StoreError) -> [TopologyRecovery] {
        let interrupted = try await recoveries(where: "end_recovery IS NULL AND processing_node_token != ?", [token])
        guard !interrupted.isEmpty else { return [] }
        try await write("end interrupted recoveries") { db in
            for recovery in interrupted {
                let reason = "interrupted: the orchestrator process running it (\(recovery.processingNodeHostname)) stopped"
                    + (recovery.lastStep.isEmpty ? " before its first step" : " during: \(Self.withoutTiming(recovery.lastStep))")
                try db.execute(
                    sql: "UPDATE topology_recovery SET end_recovery = ?, is_successful = 0, all_errors = ? WHERE recovery_id = ?",
                    arguments: [now, ([reason] + recovery.allErrors).filter { !$0.isEmpty }.joined(separator: "\n"), recovery.id]
                )
            }
        }
        return interrupted
    }

    /// A journal step without its "[+N ms] " prefix.
    private static func withoutTiming(_ step: String) -> Substring {
        guard step.hasPrefix("[+"), let end = step.range(of: "] ") else { return Substring(step) }
        return step[end.upperBound...]
    }

    /// Acknowledges the selected unacknowledged recoveries; returns how many. Acknowledging by
    /// cluster or instance also ends the matching failure detections.
    @discardableResult
    package func acknowledgeRecoveries(_ selection: RecoverySelection, by owner: String, comment: String, at now: Date) async throws(StoreError) -> Int {
        try await write("acknowledge recoveries") { db in
            switch selection {
            case .all:
                return try Self.acknowledge(db, where: "1 = 1", [], by: owner, comment: comment, at: now)
            case .id(let id):
                return try Self.acknowledge(db, where: "recovery_id = ?", [id], by: owner, comment: comment, at: now)
            case .uid(let uid):
                return try Self.acknowledge(db, where: "uid = ?", [uid], by: owner, comment: comment, at: now)
            case .instance(let key):
                try Self.endDetections(db, where: "hostname = ? AND port = ?", [key.hostname, key.port], at: now)
                return try Self.acknowledge(db, where: "hostname = ? AND port = ?", [key.hostname, key.port], by: owner, comment: comment, at: now)
            case .cluster(let name, let alias):
                let condition = "(cluster_name = ? OR (? != '' AND cluster_alias = ?))"
                try Self.endDetections(db, where: condition, [name, alias, alias], at: now)
                return try Self.acknowledge(db, where: condition, [name, alias, alias], by: owner, comment: comment, at: now)
            }
        }
    }

    @discardableResult
    private static func acknowledge(
        _ db: Database, where condition: String, _ arguments: StatementArguments, by owner: String, comment: String, at now: Date
    ) throws -> Int {
        try db.execute(
            sql: """
            UPDATE topology_recovery SET in_active_period = 0,
              end_active_period_unixtime = CASE WHEN end_active_period_unixtime = 0 THEN ? ELSE end_active_period_unixtime END,
              acknowledged = 1, acknowledged_at = ?, acknowledged_by = ?, acknowledge_comment = ?
            WHERE acknowledged = 0 AND \(condition)
            """,
            arguments: [Int64(now.timeIntervalSince1970), now, owner, comment] + arguments
        )
        return db.changesCount
    }

    private static func endDetections(_ db: Database, where condition: String, _ arguments: StatementArguments, at now: Date) throws {
        try db.execute(
            sql: "UPDATE topology_failure_detection SET in_active_period = 0, end_active_period_unixtime = ? WHERE in_active_period = 1 AND \(condition)",
            arguments: [Int64(now.timeIntervalSince1970)] + arguments
        )
    }

    static func joined(_ keys: [InstanceKey]) -> String { keys.map(\.description).joined(separator: ",") }
}
