import Foundation
import MySQLClient

/// SQL run on fresh sandbox servers. Every statement runs with `sql_log_bin=0`: local GTIDs
/// on a replica would make it diverge from its master (error 1950 under gtid-strict-mode).
enum SandboxSetup {
    static func rootConnection(_ instance: SandboxInstance, timeout: Int = 10) async throws -> MySQLConnection {
        try await MySQLConnection.connect(
            to: MySQLEndpoint(host: "localhost", port: instance.port), credentials: MySQLCredentials(user: "root", password: ""),
            options: MySQLConnectionOptions(connectTimeoutSeconds: 2, readTimeoutSeconds: timeout, writeTimeoutSeconds: timeout, unixSocket: instance.socketPath)
        )
    }

    /// Waits until the server accepts connections on its socket.
    static func waitUntilReady(_ instance: SandboxInstance, pid: pid_t) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        var lastError = ""
        while ContinuousClock.now < deadline {
            guard SandboxProcess.isAlive(pid), !SandboxProcess.isZombie(pid) else {
                throw SandboxError.startFailed(instance: instance.index, reason: "mariadbd exited; \(SandboxProcess.errorLogTail(instance))")
            }
            do {
                let connection = try await rootConnection(instance)
                await connection.close()
                return
            } catch {
                lastError = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw SandboxError.startFailed(instance: instance.index, reason: "not accepting connections after 60 s (\(lastError)); \(SandboxProcess.errorLogTail(instance))")
    }

    static func createUsers(on instance: SandboxInstance) async throws {
        let connection = try await rootConnection(instance)
        defer { Task { await connection.close() } }
        let topology = Sandbox.topologyCredentials
        let replication = Sandbox.replicationCredentials
        for statement in [
            "SET SESSION sql_log_bin = 0",
            "CREATE USER IF NOT EXISTS '\(replication.user)'@'%' IDENTIFIED BY '\(replication.password)'",
            "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '\(replication.user)'@'%'",
            "CREATE USER IF NOT EXISTS '\(topology.user)'@'%' IDENTIFIED BY '\(topology.password)'",
            "GRANT ALL PRIVILEGES ON *.* TO '\(topology.user)'@'%' WITH GRANT OPTION",
        ] {
            try await connection.execute(statement)
        }
    }

    /// Points `replica` at `master` with MariaDB GTID and waits until both threads run.
    static func startReplication(on replica: SandboxInstance, from master: SandboxInstance) async throws {
        let connection = try await rootConnection(replica)
        defer { Task { await connection.close() } }
        let replication = Sandbox.replicationCredentials
        try await connection.execute("SET SESSION sql_log_bin = 0")
        try await connection.execute("""
            CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=\(master.port), MASTER_USER='\(replication.user)', \
            MASTER_PASSWORD='\(replication.password)', MASTER_USE_GTID=slave_pos, MASTER_HEARTBEAT_PERIOD=1, MASTER_CONNECT_RETRY=1
            """)
        try await connection.execute("START SLAVE")
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        var state = ""
        while ContinuousClock.now < deadline {
            if let row = try await connection.query("SHOW SLAVE STATUS").first {
                state = "IO \(row.string("Slave_IO_Running")), SQL \(row.string("Slave_SQL_Running")) \(row.string("Last_IO_Error")) \(row.string("Last_SQL_Error"))"
                if row.string("Slave_IO_Running") == "Yes", row.string("Slave_SQL_Running") == "Yes" { return }
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw SandboxError.startFailed(instance: replica.index, reason: "replication from instance \(master.index) not running: \(state)")
    }
}
