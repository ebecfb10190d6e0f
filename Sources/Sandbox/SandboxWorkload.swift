import Foundation
import MySQLClient
import Secrets
import Synchronization

extension Sandbox {
    /// Semi-synchronous replication from `master` to `replicas`: a commit returns only once a
    /// replica has the transaction in its relay log. Waits until every replica acknowledges.
    package func enableSemiSync(master: Int, replicas: [Int]) async throws {
        let connection = try await connect(master)
        _ = try await connection.execute("SET GLOBAL rpl_semi_sync_master_timeout = 600000")
        _ = try await connection.execute("SET GLOBAL rpl_semi_sync_master_enabled = ON")
        for index in replicas {
            let replica = try await connect(index)
            _ = try await replica.execute("SET GLOBAL rpl_semi_sync_slave_enabled = ON")
            _ = try await replica.execute("STOP SLAVE IO_THREAD")
            _ = try await replica.execute("START SLAVE IO_THREAD")
            await replica.close()
        }
        for _ in 0..<100 {
            let clients = try await connection.query("SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_clients'").first?.int("Value") ?? 0
            if clients == Int64(replicas.count) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        await connection.close()
    }
}

/// Inserts numbered rows into `orc_test.t` on one sandbox server, one autocommit statement at a
/// time, until the server goes away or refuses (read-only); remembers every insert the server
/// acknowledged. It writes as an application would, without privileges that bypass read_only.
package final class SandboxWriter: Sendable {
    private final class Rows: Sendable {
        let ids = Mutex<[Int]>([])
    }

    private let acknowledged = Rows()
    private let task: Task<Void, Never>

    package var acknowledgedRows: [Int] { acknowledged.ids.withLock { $0 } }

    package static let credentials = MySQLCredentials(user: "orc_writer", password: "writer_pass")

    /// Creates the table and the writer's user (replicated to every replica) and starts writing.
    package static func start(on sandbox: Sandbox, index: Int) async throws -> SandboxWriter {
        let admin = try await sandbox.connect(index)
        _ = try await admin.execute("CREATE DATABASE IF NOT EXISTS orc_test")
        _ = try await admin.execute("CREATE TABLE IF NOT EXISTS orc_test.t (id INT PRIMARY KEY)")
        for host in ["%", "127.0.0.1", "localhost"] {
            _ = try await admin.execute("CREATE USER IF NOT EXISTS '\(credentials.user)'@'\(host)' IDENTIFIED BY '\(credentials.password.revealed)'")
            _ = try await admin.execute("GRANT SELECT, INSERT ON orc_test.* TO '\(credentials.user)'@'\(host)'")
        }
        await admin.close()
        let port = sandbox.instances[index].port
        let connection = try await MySQLConnection.connect(
            to: MySQLEndpoint(host: "127.0.0.1", port: port), credentials: credentials,
            options: MySQLConnectionOptions(connectTimeoutSeconds: 2, readTimeoutSeconds: 10, writeTimeoutSeconds: 10)
        )
        return SandboxWriter(connection: connection)
    }

    private init(connection: MySQLConnection) {
        let acknowledged = acknowledged
        task = Task {
            var next = 1
            while !Task.isCancelled {
                do {
                    _ = try await connection.execute("INSERT INTO orc_test.t (id) VALUES (\(next))")
                    acknowledged.ids.withLock { $0.append(next) }
                    next += 1
                } catch {
                    return
                }
            }
        }
    }

    /// Waits until the server acknowledged `count` rows (true) or the writer stopped, or 10 s passed.
    package func waitUntilAcknowledged(_ count: Int) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while acknowledged.ids.withLock({ $0.count }) < count {
            if ContinuousClock.now >= deadline || task.isCancelled { return false }
            do { try await Task.sleep(for: .milliseconds(20)) } catch { return false }
        }
        return true
    }

    /// Waits until the writer stopped (its server died, or `stop`).
    package func finished() async { await task.value }

    package func stop() { task.cancel() }
}
