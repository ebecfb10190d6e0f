import Foundation
import Logging
import MySQLClient
import Secrets
import Store
import Topology

/// The only code that changes replication on servers. Each call opens its own connection (the
/// probes' connections stay free for polling), and each change is audited after it is made.
package struct ReplicationOperations: Sendable {
    package var credentials: MySQLCredentials
    package var options: MySQLConnectionOptions
    /// `InstanceBulkOperationsWaitTimeoutSeconds`: how long to wait for a replica to apply or catch up.
    package var waitTimeoutSeconds: Int
    package var store: SQLiteStore
    package var logger: Logger
    /// Virtual names replicas are pointed at instead of host names.
    package var unresolves: HostnameUnresolves
    /// Who may change servers; each change is fenced by it (`ReplicationOperations+Fencing`).
    /// `nil`: a single node, always allowed.
    package var leadership: (any Leadership)?
    /// Counts fenced changes.
    package var metrics = EngineMetrics.none

    package init(
        credentials: MySQLCredentials, options: MySQLConnectionOptions, waitTimeoutSeconds: Int = 10, store: SQLiteStore,
        unresolves: HostnameUnresolves = HostnameUnresolves(), logger: Logger
    ) {
        self.unresolves = unresolves
        self.credentials = credentials
        self.options = options
        self.waitTimeoutSeconds = waitTimeoutSeconds
        self.store = store
        self.logger = logger
    }

    /// `STOP SLAVE IO_THREAD`: the replica keeps what it received and stops fetching.
    ///
    /// A MariaDB semi-sync replica's STOP connects to its master to end its dump thread and, when
    /// the master hangs rather than refuses, waits for that connection: 2 s with the default
    /// `rpl_semi_sync_slave_kill_conn_timeout`, 1 s at its shortest (0 would wait forever). So
    /// for this one STOP the timeout is 1 s, and then what it was.
    package func stopIOThread(_ key: InstanceKey) async throws(OperationError) {
        let operation = "stop-slave-io-thread"
        try await withConnection(key, operation, waitSeconds: 3) { connection throws(OperationError) in
            let killTimeout = try? await connection.query("SELECT @@global.rpl_semi_sync_slave_kill_conn_timeout AS t").first?.int("t")
            let shortened = killTimeout.map { $0 > 1 } ?? false
            // Shortening only speeds the STOP up; the STOP works (more slowly) without it.
            if shortened { _ = try? await connection.execute("SET GLOBAL rpl_semi_sync_slave_kill_conn_timeout = 1") }
            do throws(OperationError) {
                try await Self.run(connection, key, operation, "STOP SLAVE IO_THREAD")
            } catch {
                if let killTimeout, shortened { _ = try? await connection.execute("SET GLOBAL rpl_semi_sync_slave_kill_conn_timeout = \(killTimeout)") }
                throw error
            }
            if let killTimeout, shortened { try await Self.run(connection, key, operation, "SET GLOBAL rpl_semi_sync_slave_kill_conn_timeout = \(killTimeout)") }
        }
        await audit(operation, key, "stopped the IO thread")
    }

    /// Waits until `key` has applied everything in its relay log, starting its SQL thread if it
    /// was stopped; returns whether it got there within the wait timeout.
    package func applyRelayLog(_ key: InstanceKey) async throws(OperationError) -> Bool {
        let operation = "apply-relay-log"
        return try await withConnection(key, operation, waitSeconds: waitTimeoutSeconds) { connection throws(OperationError) in
            let status = try await Self.slaveStatus(connection, key, operation)
            guard let status else { return true }
            if status.string("Slave_SQL_Running") != "Yes" { try await Self.run(connection, key, operation, "START SLAVE SQL_THREAD") }
            if let received = status["Gtid_IO_Pos"], !received.isEmpty {
                return try await Self.waitForGTIDs(connection, key, operation, received, timeout: waitTimeoutSeconds)
            }
            if let retrieved = status["Retrieved_Gtid_Set"], !retrieved.isEmpty {
                let rows = try await Self.query(connection, key, operation, "SELECT WAIT_FOR_EXECUTED_GTID_SET('\(retrieved.sqlEscaped)', \(waitTimeoutSeconds)) AS waited")
                return rows.first?.int("waited") == 0
            }
            // Binlog coordinates: executed reaches read.
            let deadline = ContinuousClock.now + .seconds(waitTimeoutSeconds)
            while ContinuousClock.now < deadline {
                guard let row = try await Self.slaveStatus(connection, key, operation) else { return true }
                if row.string("Relay_Master_Log_File") == row.string("Master_Log_File"), row.int("Exec_Master_Log_Pos") == row.int("Read_Master_Log_Pos") {
                    return true
                }
                do { try await Task.sleep(for: .milliseconds(20)) } catch { return false }
            }
            return false
        }
    }

    /// Points `key` at `source` (MariaDB GTID) and waits until it holds everything `source`
    /// wrote to its binary log, then stops its replication. Returns whether it caught up in time.
    package func catchUp(_ key: InstanceKey, from source: InstanceKey) async throws(OperationError) -> Bool {
        let operation = "catch-up"
        let target = try await binlogGTIDPosition(source)
        try await repoint(key, to: source, method: .mariaDBGTID)
        let caughtUp = try await withConnection(key, operation, waitSeconds: waitTimeoutSeconds) { connection throws(OperationError) in
            let done = target.isEmpty ? true : try await Self.waitForGTIDs(connection, key, operation, target, timeout: waitTimeoutSeconds)
            try await Self.run(connection, key, operation, "STOP SLAVE")
            return done
        }
        await audit(operation, key, "caught up from \(source) up to \(target)")
        return caughtUp
    }

    /// Stops and forgets replication on `key` and makes it writable. Returns its own binlog
    /// coordinates and `gtid_current_pos` as they were just before it took writes.
    package func promote(_ key: InstanceKey) async throws(OperationError) -> (coordinates: BinlogCoordinates, gtidCurrentPos: String) {
        let operation = "promote"
        let result = try await withConnection(key, operation, waitSeconds: Self.changeWaitSeconds) { connection throws(OperationError) in
            try await Self.run(connection, key, operation, "STOP SLAVE")
            try await Self.run(connection, key, operation, "RESET SLAVE ALL")
            let status = try await Self.query(connection, key, operation, "SHOW MASTER STATUS").first
            let coordinates = BinlogCoordinates(logFile: status?.string("File") ?? "", logPos: status?.int("Position") ?? 0)
            let gtids = (try? await connection.query("SELECT @@global.gtid_current_pos AS pos"))?.first?.string("pos") ?? ""
            try await Self.run(connection, key, operation, "SET GLOBAL read_only = 0")
            return (coordinates: coordinates, gtidCurrentPos: gtids)
        }
        await audit(operation, key, "promoted: replication reset, read_only=0, at \(result.coordinates)")
        return result
    }

    /// `STOP SLAVE; CHANGE MASTER TO …; START SLAVE`. The replication user and password are kept.
    package func repoint(_ key: InstanceKey, to master: InstanceKey, method: RewireMethod, coordinates: BinlogCoordinates? = nil) async throws(OperationError) {
        var change = "CHANGE MASTER TO MASTER_HOST='\(unresolves.masterHost(for: master.hostname).sqlEscaped)', MASTER_PORT=\(master.port)"
        switch method {
        case .mariaDBGTID: change += ", MASTER_USE_GTID=slave_pos"
        case .mysqlGTID: change += ", MASTER_AUTO_POSITION=1"
        case .binlogCoordinates:
            guard let coordinates else { throw OperationError(key: key, operation: "repoint", reason: "no coordinates to point at") }
            change += ", MASTER_LOG_FILE='\(coordinates.logFile.sqlEscaped)', MASTER_LOG_POS=\(coordinates.logPos)"
        }
        try await self.change(key, "repoint", ["STOP SLAVE", change, "START SLAVE"], audit: "now replicates from \(master) (\(method.rawValue))")
    }

    /// Orchestrator's detach: the master host gets a `//` prefix, so the replica stops and keeps
    /// the address for a later reattach.
    package func detach(_ key: InstanceKey, from master: InstanceKey) async throws(OperationError) {
        try await changeHostKeepingPosition(key, "detach-replica-master-host", host: "//" + master.hostname, start: false, audit: "detached from \(master)")
    }

    /// The master's `gtid_binlog_pos` (MariaDB), after it stopped taking writes.
    package func binlogGTIDPosition(_ key: InstanceKey) async throws(OperationError) -> String {
        try await withConnection(key, "read-gtid-binlog-pos", waitSeconds: 0, writes: false) { connection throws(OperationError) in
            try await Self.query(connection, key, "read-gtid-binlog-pos", "SELECT @@global.gtid_binlog_pos AS pos").first?.string("pos") ?? ""
        }
    }

    /// Waits until `key` has applied `position` (MariaDB GTID); `false` after `timeoutSeconds`.
    package func waitUntilApplied(_ key: InstanceKey, position: String, timeoutSeconds: Int) async throws(OperationError) -> Bool {
        guard !position.isEmpty else { return true }
        return try await withConnection(key, "wait-until-applied", waitSeconds: timeoutSeconds, writes: false) { connection throws(OperationError) in
            try await Self.waitForGTIDs(connection, key, "wait-until-applied", position, timeout: timeoutSeconds)
        }
    }

    /// `ReplicationCredentialsQuery` on `key`: its first row's first two columns are the user and password.
    package func replicationCredentials(_ key: InstanceKey, query: String) async throws(OperationError) -> MySQLCredentials {
        try await withConnection(key, "read-replication-credentials", waitSeconds: 0, writes: false) { connection throws(OperationError) in
            let rows: [MySQLRow]
            do {
                rows = try await connection.query(query)
            } catch {
                // Not the query text: it may hold the password as a literal.
                throw OperationError(key: key, operation: "read-replication-credentials", reason: "ReplicationCredentialsQuery failed: \(error)")
            }
            guard let row = rows.first, let user = row[index: 0], let password = row[index: 1] else {
                throw OperationError(key: key, operation: "read-replication-credentials", reason: "ReplicationCredentialsQuery returned no user and password")
            }
            return MySQLCredentials(user: user, password: password)
        }
    }

    /// Turns a former master into a replica of `master`: its own transactions become its
    /// replication position (so nothing is fetched twice), then MariaDB GTID replication starts.
    package func demote(_ key: InstanceKey, toReplicaOf master: InstanceKey, credentials: MySQLCredentials?) async throws(OperationError) {
        var change = "CHANGE MASTER TO MASTER_HOST='\(unresolves.masterHost(for: master.hostname).sqlEscaped)', MASTER_PORT=\(master.port), MASTER_USE_GTID=slave_pos"
        if let credentials {
            change += ", MASTER_USER='\(credentials.user.sqlEscaped)', MASTER_PASSWORD='\(credentials.password.revealed.sqlEscaped)'"
        }
        try await self.change(
            key, "demote-master", ["SET GLOBAL read_only = 1", "SET GLOBAL gtid_slave_pos = @@global.gtid_binlog_pos", change, "START SLAVE"],
            audit: "now a replica of \(master)"
        )
    }

    package func setReadOnly(_ key: InstanceKey, _ readOnly: Bool) async throws(OperationError) {
        try await change(key, readOnly ? "set-read-only" : "set-writeable", ["SET GLOBAL read_only = \(readOnly ? 1 : 0)"], audit: "read_only=\(readOnly ? 1 : 0)")
    }

    // MARK: - Plumbing

    /// Runs `statements` on `key` and audits `message`. `START SLAVE` and `STOP SLAVE` wait for the
    /// replication threads (STOP for the event group being applied), so these statements get
    /// `changeWaitSeconds` beyond the read timeout before the server counts as not answering.
    func change(_ key: InstanceKey, _ operation: String, _ statements: [String], audit message: String) async throws(OperationError) {
        try await withConnection(key, operation, waitSeconds: Self.changeWaitSeconds) { connection throws(OperationError) in
            for statement in statements { try await Self.run(connection, key, operation, statement) }
        }
        await audit(operation, key, message)
    }

    /// See `change`: a busy replica's `STOP SLAVE` or a loaded server's `START SLAVE` can take
    /// seconds without anything being wrong (CI saw both exceed a 2 s read timeout).
    static let changeWaitSeconds = 3

    /// Runs `body` on a new connection to `key`. An operation that `writes` is fenced first:
    /// it runs only while the leadership term that started it still holds.
    func withConnection<T: Sendable>(
        _ key: InstanceKey, _ operation: String, waitSeconds: Int, writes: Bool = true, _ body: (MySQLConnection) async throws(OperationError) -> T
    ) async throws(OperationError) -> T {
        if writes { try await fence(key, operation) }
        var options = options
        // A statement that waits server-side must not hit the read timeout first.
        if waitSeconds > 0 { options.readTimeoutSeconds += waitSeconds + 1 }
        let connection: MySQLConnection
        do {
            connection = try await MySQLConnection.connect(to: MySQLEndpoint(host: key.hostname, port: key.port), credentials: credentials, options: options)
        } catch {
            throw OperationError(key: key, operation: operation, reason: error.description)
        }
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }

    func audit(_ operation: String, _ key: InstanceKey, _ message: String) async {
        await AuditLog(store: store, logger: logger).record(operation, key, message)
    }

    static func run(_ connection: MySQLConnection, _ key: InstanceKey, _ operation: String, _ statement: String) async throws(OperationError) {
        let statement = await keepingHeartbeatPeriod(statement, connection)
        do {
            _ = try await connection.execute(statement)
        } catch {
            throw OperationError(key: key, operation: operation, reason: "\(statement.redactingPasswords): \(error.description)")
        }
    }

    static func query(_ connection: MySQLConnection, _ key: InstanceKey, _ operation: String, _ sql: String) async throws(OperationError) -> [MySQLRow] {
        do {
            return try await connection.query(sql)
        } catch {
            throw OperationError(key: key, operation: operation, reason: "\(sql): \(error.description)")
        }
    }

    static func slaveStatus(_ connection: MySQLConnection, _ key: InstanceKey, _ operation: String) async throws(OperationError) -> MySQLRow? {
        try await query(connection, key, operation, "SHOW SLAVE STATUS").last
    }

    /// `MASTER_GTID_WAIT`: 0 when reached, -1 on timeout.
    private static func waitForGTIDs(_ connection: MySQLConnection, _ key: InstanceKey, _ operation: String, _ position: String, timeout: Int) async throws(OperationError) -> Bool {
        let rows = try await query(connection, key, operation, "SELECT MASTER_GTID_WAIT('\(position.sqlEscaped)', \(timeout)) AS waited")
        return rows.first?.int("waited") == 0
    }
}

extension String {
    /// Escaped for a single-quoted SQL literal.
    var sqlEscaped: String { replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") }

    /// Statement text safe for logs and errors.
    var redactingPasswords: String {
        guard let range = range(of: "MASTER_PASSWORD", options: .caseInsensitive) else { return self }
        return String(self[..<range.lowerBound]) + "MASTER_PASSWORD=<redacted>"
    }
}

extension ReplicationOperations {
    /// A `CHANGE MASTER TO` that names a new host or port resets `MASTER_HEARTBEAT_PERIOD` to
    /// `slave_net_timeout / 2` (30 s by default), and the heartbeat period is what a hung master
    /// is detected by (`MasterSilence`): every such statement carries the replica's current
    /// period over. Where the period cannot be read (MySQL 8 has no such status), unchanged.
    static func keepingHeartbeatPeriod(_ statement: String, _ connection: MySQLConnection) async -> String {
        let upper = statement.uppercased()
        guard upper.hasPrefix("CHANGE MASTER TO"), upper.contains("MASTER_HOST") || upper.contains("MASTER_PORT"),
              !upper.contains("MASTER_HEARTBEAT_PERIOD") else { return statement }
        guard let value = try? await connection.query("SHOW GLOBAL STATUS LIKE 'Slave_heartbeat_period'").first?.string("Value"),
              let period = Double(value), period > 0 else { return statement }
        return statement + ", MASTER_HEARTBEAT_PERIOD=\(period)"
    }
}
