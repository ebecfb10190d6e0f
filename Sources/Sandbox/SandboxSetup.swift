import Foundation
import MySQLClient
import Secrets

/// SQL run on fresh sandbox servers, as root over the server's socket. Setup statements run
/// with `sql_log_bin=0`: local GTIDs on a replica would make it diverge from its master
/// (error 1950 under gtid-strict-mode).
enum SandboxSetup {
    static let startTimeout: Duration = .seconds(30)

    static func rootConnection(_ instance: SandboxInstance) async throws(MySQLError) -> MySQLConnection {
        try await MySQLConnection.connect(
            to: MySQLEndpoint(host: "localhost", port: instance.port), credentials: MySQLCredentials(user: "root", password: ""),
            options: MySQLConnectionOptions(connectTimeoutSeconds: 2, readTimeoutSeconds: 10, writeTimeoutSeconds: 10, unixSocket: instance.socketPath)
        )
    }

    /// Waits until the server accepts connections on its socket; fails early if it exits.
    static func waitUntilReady(_ instance: SandboxInstance, pid: pid_t) async throws {
        let deadline = ContinuousClock.now.advanced(by: startTimeout)
        var lastError = ""
        while ContinuousClock.now < deadline {
            guard SandboxProcess.isAlive(pid) else {
                throw SandboxError.startFailed(instance: instance.index, reason: "mariadbd (pid \(pid)) exited; \(SandboxProcess.errorLogTail(instance))")
            }
            // Connecting before the socket exists only costs a failed syscall, no timeout.
            if FileManager.default.fileExists(atPath: instance.socketPath) {
                do {
                    let connection = try await rootConnection(instance)
                    await connection.close()
                    return
                } catch {
                    lastError = "\(error)"
                }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw SandboxError.startFailed(
            instance: instance.index,
            reason: "not accepting connections after \(startTimeout) (\(lastError)); \(SandboxProcess.errorLogTail(instance))"
        )
    }

    /// The replication user and the orchestrator topology user, for every way a client may
    /// arrive (TCP from 127.0.0.1, the socket as localhost, anything else as '%').
    static func createUsers(on instance: SandboxInstance) async throws {
        let topology = Sandbox.topologyCredentials
        let replication = Sandbox.replicationCredentials
        var statements = ["SET SESSION sql_log_bin = 0"]
        for host in ["%", "127.0.0.1", "localhost"] {
            statements += [
                "CREATE USER IF NOT EXISTS '\(replication.user)'@'\(host)' IDENTIFIED BY '\(replication.password.revealed)'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '\(replication.user)'@'\(host)'",
                "CREATE USER IF NOT EXISTS '\(topology.user)'@'\(host)' IDENTIFIED BY '\(topology.password.revealed)'",
                "GRANT ALL PRIVILEGES ON *.* TO '\(topology.user)'@'\(host)' WITH GRANT OPTION",
            ]
        }
        try await run(statements, on: instance)
    }

    /// Points `replica` at `master` (MariaDB GTID, or the master's current binary log position)
    /// and waits until both threads run.
    static func startReplication(on replica: SandboxInstance, from master: SandboxInstance, usesGTID: Bool = true, heartbeatPeriod: Double = 1) async throws {
        let replication = Sandbox.replicationCredentials
        var position = "MASTER_USE_GTID=slave_pos"
        if !usesGTID {
            let connection = try await rootConnection(master)
            let row: MySQLRow?
            do {
                row = try await connection.query("SHOW MASTER STATUS").first
            } catch {
                await connection.close()
                throw error
            }
            await connection.close()
            guard let row, !row.string("File").isEmpty else {
                throw SandboxError.startFailed(instance: master.index, reason: "no binary log position to replicate from")
            }
            position = "MASTER_USE_GTID=no, MASTER_LOG_FILE='\(row.string("File"))', MASTER_LOG_POS=\(row.int("Position") ?? 4)"
        }
        try await run([
            "SET SESSION sql_log_bin = 0",
            """
            CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=\(master.port), MASTER_USER='\(replication.user)', \
            MASTER_PASSWORD='\(replication.password.revealed)', \(position), MASTER_HEARTBEAT_PERIOD=\(heartbeatPeriod), MASTER_CONNECT_RETRY=1
            """,
            "START SLAVE",
        ], on: replica)
        let connection = try await rootConnection(replica)
        let deadline = ContinuousClock.now.advanced(by: startTimeout)
        var state = ""
        do {
            while ContinuousClock.now < deadline {
                if let row = try await connection.query("SHOW SLAVE STATUS").first {
                    let io = row.string("Slave_IO_Running"), sql = row.string("Slave_SQL_Running")
                    state = "IO \(io), SQL \(sql); \(row.string("Last_IO_Error")) \(row.string("Last_SQL_Error"))"
                    if io == "Yes", sql == "Yes" {
                        await connection.close()
                        return
                    }
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
        throw SandboxError.startFailed(instance: replica.index, reason: "replication from instance \(master.index) not running: \(state)")
    }

    private static func run(_ statements: [String], on instance: SandboxInstance) async throws {
        let connection = try await rootConnection(instance)
        do {
            for statement in statements { try await connection.execute(statement) }
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }
}
