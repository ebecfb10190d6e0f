import Foundation
import MySQLClient
import Secrets
import Topology

/// Replication control statements for refactoring and the operator's commands. Each is run on
/// its own connection and audited once made.
extension ReplicationOperations {
    /// Where a replica's threads stand, as `SHOW SLAVE STATUS` says.
    package struct ReplicaStatus: Sendable, Equatable {
        package var ioRunning: String
        package var sqlRunning: String
        /// Read from the master: `Master_Log_File:Read_Master_Log_Pos`.
        package var read: BinlogCoordinates
        /// Applied, in the master's binary log: `Relay_Master_Log_File:Exec_Master_Log_Pos`.
        package var executed: BinlogCoordinates
        package var lastSQLError: String
        package var lastIOError: String
        package var usesGTID: Bool
        /// `Master_Host:Master_Port`.
        package var master: InstanceKey

        package var isRunning: Bool { ioRunning == "Yes" && sqlRunning == "Yes" }
        package var isStopped: Bool { ioRunning == "No" && sqlRunning == "No" }
    }

    /// `SHOW SLAVE STATUS`; `nil` when `key` is not a replica.
    package func replicaStatus(_ key: InstanceKey) async throws(OperationError) -> ReplicaStatus? {
        try await withConnection(key, "read-replica-status", waitSeconds: 0, writes: false) { connection throws(OperationError) in
            try await Self.slaveStatus(connection, key, "read-replica-status").map(Self.replicaStatus)
        }
    }

    /// The server's own binary log position (`SHOW MASTER STATUS`).
    package func ownCoordinates(_ key: InstanceKey) async throws(OperationError) -> BinlogCoordinates {
        try await withConnection(key, "read-master-status", waitSeconds: 0, writes: false) { connection throws(OperationError) in
            guard let row = try await Self.query(connection, key, "read-master-status", "SHOW MASTER STATUS").first, !row.string("File").isEmpty else {
                throw OperationError(key: key, operation: "read-master-status", reason: "no binary log")
            }
            return BinlogCoordinates(logFile: row.string("File"), logPos: row.int("Position") ?? 0)
        }
    }

    package func stopReplication(_ key: InstanceKey) async throws(OperationError) {
        try await change(key, "stop-slave", ["STOP SLAVE"], audit: "replication stopped")
    }

    /// `START SLAVE`, then waits until both threads run (an IO thread still connecting after
    /// the wait is an error naming its last error). With `requireConnected` false, the SQL thread
    /// running is enough: a replica whose master is down still applies what it received.
    package func startReplication(_ key: InstanceKey, requireConnected: Bool = true) async throws(OperationError) {
        try await change(key, "start-slave", ["START SLAVE"], audit: "replication started")
        try await waitUntilRunning(key, operation: "start-slave", requireConnected: requireConnected)
    }

    /// `START SLAVE UNTIL` the master's `coordinates`, waits until the SQL thread stopped
    /// exactly there, then stops the IO thread too. Fails when it stopped elsewhere, or did not
    /// get there within the wait timeout (orchestrator waits forever).
    package func startReplication(_ key: InstanceKey, until coordinates: BinlogCoordinates) async throws(OperationError) {
        let operation = "start-slave-until"
        try await change(
            key, operation,
            ["START SLAVE UNTIL MASTER_LOG_FILE='\(coordinates.logFile.sqlEscaped)', MASTER_LOG_POS=\(coordinates.logPos)"],
            audit: "replication started until \(coordinates)"
        )
        let deadline = ContinuousClock.now + .seconds(waitTimeoutSeconds)
        while true {
            guard let status = try await replicaStatus(key) else {
                throw OperationError(key: key, operation: operation, reason: "not a replica")
            }
            if status.sqlRunning == "No" {
                try await stopReplication(key)
                guard status.executed == coordinates else {
                    throw OperationError(key: key, operation: operation, reason: "stopped at \(status.executed), not at \(coordinates) \(status.lastSQLError)")
                }
                return
            }
            guard ContinuousClock.now < deadline else {
                throw OperationError(
                    key: key, operation: operation, reason: "did not reach \(coordinates) within \(waitTimeoutSeconds) s (at \(status.executed))"
                )
            }
            do { try await Task.sleep(for: .milliseconds(20)) } catch {
                throw OperationError(key: key, operation: operation, reason: "cancelled at \(status.executed)")
            }
        }
    }

    /// `CHANGE MASTER TO` the new source, replication stopped; the replication user and
    /// password are kept. Coordinates are required for `.binlogCoordinates`.
    package func changeMaster(
        _ key: InstanceKey, to master: InstanceKey, method: RewireMethod, coordinates: BinlogCoordinates? = nil, credentials: MySQLCredentials? = nil
    ) async throws(OperationError) {
        var change = "CHANGE MASTER TO MASTER_HOST='\(unresolves.masterHost(for: master.hostname).sqlEscaped)', MASTER_PORT=\(master.port)" + Self.credentialsClause(credentials)
        switch method {
        case .mariaDBGTID: change += ", MASTER_USE_GTID=slave_pos"
        case .mysqlGTID: change += ", MASTER_AUTO_POSITION=1"
        case .binlogCoordinates:
            guard let coordinates, !coordinates.isEmpty else {
                throw OperationError(key: key, operation: "change-master-to", reason: "no coordinates to point at")
            }
            change += ", MASTER_LOG_FILE='\(coordinates.logFile.sqlEscaped)', MASTER_LOG_POS=\(coordinates.logPos)"
        }
        let statement = change
        let at = coordinates.map { " at \($0)" } ?? ""
        try await withConnection(key, "change-master-to", waitSeconds: Self.changeWaitSeconds) { connection throws(OperationError) in
            var final = statement
            // A MariaDB replica that used GTID goes back to coordinates explicitly (MySQL has no such option).
            if method == .binlogCoordinates {
                if try await Self.isMariaDB(connection, key) {
                    final += ", MASTER_USE_GTID=no"
                } else if let mode = try? await connection.query("SELECT @@global.gtid_mode AS mode").first?.string("mode"), mode.hasPrefix("ON") {
                    // An auto-positioning MySQL replica is moved to coordinates explicitly.
                    final += ", MASTER_AUTO_POSITION=0"
                }
            }
            try await Self.run(connection, key, "change-master-to", final)
        }
        await audit("change-master-to", key, "now replicates from \(master) (\(method.rawValue))\(at)")
    }

    /// `STOP SLAVE IO_THREAD`, lets the SQL thread apply what was received, then `STOP SLAVE`.
    /// A delayed replica is not waited for (it is behind on purpose), as orchestrator does.
    package func stopReplicationNicely(_ key: InstanceKey, isDelayed: Bool) async throws(OperationError) {
        try await stopIOThread(key)
        let applied = isDelayed ? true : try await applyRelayLog(key)
        guard applied else {
            throw OperationError(key: key, operation: "stop-slave-nice", reason: "did not apply its relay log within \(waitTimeoutSeconds) s")
        }
        try await stopReplication(key)
    }

    /// `STOP SLAVE; RESET SLAVE ALL`: the server forgets its master.
    package func resetReplication(_ key: InstanceKey) async throws(OperationError) {
        try await change(key, "reset-slave", ["STOP SLAVE", "RESET SLAVE ALL"], audit: "replication reset")
    }

    /// Skips the event the SQL thread stopped on (`sql_slave_skip_counter`, which MariaDB also
    /// honours under GTID, moving `gtid_slave_pos` past it), then starts replication.
    package func skipQuery(_ key: InstanceKey) async throws(OperationError) {
        try await change(key, "skip-query", ["SET GLOBAL sql_slave_skip_counter = 1"], audit: "skipping one event")
        try await startReplication(key)
    }

    /// Points `key` back at the master a detach hid behind `//`, at the position it had.
    package func reattach(_ key: InstanceKey, to master: InstanceKey) async throws(OperationError) {
        try await changeHostKeepingPosition(key, "reattach-replica-master-host", host: unresolves.masterHost(for: master.hostname), start: true, audit: "reattached to \(master)")
    }

    /// `STOP SLAVE; CHANGE MASTER TO MASTER_HOST=host` on one session. Without GTID a new host
    /// alone would reset the position to the start of the first log: the executed coordinates
    /// go with it.
    func changeHostKeepingPosition(_ key: InstanceKey, _ operation: String, host: String, start: Bool, audit message: String) async throws(OperationError) {
        try await withConnection(key, operation, waitSeconds: Self.changeWaitSeconds) { connection throws(OperationError) in
            try await Self.run(connection, key, operation, "STOP SLAVE")
            guard let row = try await Self.slaveStatus(connection, key, operation) else {
                throw OperationError(key: key, operation: operation, reason: "not a replica")
            }
            var change = "CHANGE MASTER TO MASTER_HOST='\(host.sqlEscaped)'"
            let status = Self.replicaStatus(row)
            if !status.usesGTID, !status.executed.isEmpty {
                change += ", MASTER_LOG_FILE='\(status.executed.logFile.sqlEscaped)', MASTER_LOG_POS=\(status.executed.logPos)"
            }
            try await Self.run(connection, key, operation, change)
            if start { try await Self.run(connection, key, operation, "START SLAVE") }
        }
        await audit(operation, key, message)
    }

    static func isMariaDB(_ connection: MySQLConnection, _ key: InstanceKey) async throws(OperationError) -> Bool {
        try await query(connection, key, "read-version", "SELECT @@version AS version").first?.string("version").contains("MariaDB") ?? false
    }

    /// `MASTER_DELAY`, restarting only the threads that ran.
    package func delayReplication(_ key: InstanceKey, seconds: Int) async throws(OperationError) {
        let wasRunning = try await replicaStatus(key)?.isRunning ?? false
        var statements = ["STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY=\(seconds)"]
        if wasRunning { statements.append("START SLAVE") }
        try await change(key, "delay-replication", statements, audit: "replication delayed by \(seconds) s")
    }

    package func setSemiSync(_ key: InstanceKey, master: Bool, enabled: Bool) async throws(OperationError) {
        let variable = master ? "rpl_semi_sync_master_enabled" : "rpl_semi_sync_slave_enabled"
        var statements = ["SET GLOBAL \(variable) = \(enabled ? 1 : 0)"]
        // A replica's setting takes effect when its IO thread reconnects.
        if !master, try await replicaStatus(key)?.ioRunning == "Yes" {
            statements += ["STOP SLAVE IO_THREAD", "START SLAVE IO_THREAD"]
        }
        try await change(key, master ? "semi-sync-master" : "semi-sync-replica", statements, audit: "\(variable)=\(enabled ? 1 : 0)")
    }

    package func flushBinaryLogs(_ key: InstanceKey) async throws(OperationError) {
        try await change(key, "flush-binary-logs", ["FLUSH BINARY LOGS"], audit: "binary logs flushed")
    }

    package func purgeBinaryLogs(_ key: InstanceKey, to logFile: String) async throws(OperationError) {
        try await change(key, "purge-binary-logs", ["PURGE BINARY LOGS TO '\(logFile.sqlEscaped)'"], audit: "binary logs purged to \(logFile)")
    }

    /// The binary log files the server holds, oldest first.
    package func binaryLogs(_ key: InstanceKey) async throws(OperationError) -> [String] {
        try await withConnection(key, "show-binary-logs", waitSeconds: 0, writes: false) { connection throws(OperationError) in
            try await Self.query(connection, key, "show-binary-logs", "SHOW BINARY LOGS").map { $0.string("Log_name") }
        }
    }

    /// Waits until both threads run; the IO thread says "Connecting" for a moment.
    private func waitUntilRunning(_ key: InstanceKey, operation: String, requireConnected: Bool = true) async throws(OperationError) {
        let deadline = ContinuousClock.now + .seconds(waitTimeoutSeconds)
        while true {
            guard let status = try await replicaStatus(key) else {
                throw OperationError(key: key, operation: operation, reason: "not a replica")
            }
            if status.isRunning || (!requireConnected && status.sqlRunning == "Yes") { return }
            if status.sqlRunning == "No" || ContinuousClock.now >= deadline {
                let errors = [status.lastIOError, status.lastSQLError].filter { !$0.isEmpty }.joined(separator: "; ")
                throw OperationError(
                    key: key, operation: operation,
                    reason: "replication not running (IO \(status.ioRunning), SQL \(status.sqlRunning))\(errors.isEmpty ? "" : ": \(errors)")"
                )
            }
            do { try await Task.sleep(for: .milliseconds(20)) } catch {
                throw OperationError(key: key, operation: operation, reason: "cancelled while waiting for replication to run")
            }
        }
    }

    static func replicaStatus(_ row: MySQLRow) -> ReplicaStatus {
        ReplicaStatus(
            ioRunning: row.string("Slave_IO_Running"), sqlRunning: row.string("Slave_SQL_Running"),
            read: BinlogCoordinates(logFile: row.string("Master_Log_File"), logPos: row.int("Read_Master_Log_Pos") ?? 0),
            executed: BinlogCoordinates(logFile: row.string("Relay_Master_Log_File"), logPos: row.int("Exec_Master_Log_Pos") ?? 0),
            lastSQLError: row.string("Last_SQL_Error"), lastIOError: row.string("Last_IO_Error"),
            usesGTID: (row["Using_Gtid"].map { $0 != "No" && !$0.isEmpty } ?? false) || row.string("Auto_Position") == "1",
            master: InstanceKey(hostname: row.string("Master_Host"), port: Int(row.int("Master_Port") ?? 0))
        )
    }
}

extension ReplicationOperations {
    /// Points a server that has only ever been a master at `master` by MariaDB GTID: what it
    /// wrote itself becomes its replica position, so nothing comes back twice.
    package func changeMasterFromOwnGTIDPosition(_ key: InstanceKey, to master: InstanceKey, credentials: MySQLCredentials?) async throws(OperationError) {
        try await change(
            key, "change-master-to",
            [
                "SET GLOBAL gtid_slave_pos = @@global.gtid_binlog_pos",
                "CHANGE MASTER TO MASTER_HOST='\(unresolves.masterHost(for: master.hostname).sqlEscaped)', MASTER_PORT=\(master.port), MASTER_USE_GTID=slave_pos"
                    + Self.credentialsClause(credentials),
            ],
            audit: "now replicates from \(master) (mariaDBGTID) from its own position"
        )
    }

    /// `, MASTER_USER=…, MASTER_PASSWORD=…` (the password is redacted from errors and logs).
    static func credentialsClause(_ credentials: MySQLCredentials?) -> String {
        guard let credentials else { return "" }
        return ", MASTER_USER='\(credentials.user.sqlEscaped)', MASTER_PASSWORD='\(credentials.password.revealed.sqlEscaped)'"
    }
}
