import Foundation
import MySQLClient
import OrchestratorTesting
import Sandbox
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(15)))
struct MySQLConnectionTests {
    @Test func readsTypedRowsAndReportsStatementErrors() async throws {
        try await withSandbox(topology: "0") { sandbox in
            let endpoint = sandbox.instances[0].endpoint
            let connection = try await MySQLConnection.connect(to: endpoint, credentials: Sandbox.topologyCredentials)
            #expect(connection.endpoint == endpoint)

            let rows = try await connection.query("SELECT 1 AS a, NULL AS b, 'x' AS c")
            let row = try #require(rows.first)
            #expect(rows.count == 1 && row.columns == ["a", "b", "c"] && row.values == ["1", nil, "x"])
            #expect(row.int("a") == 1 && row["b"] == nil && row.has("b") && row.string("C") == "x")
            #expect(try await connection.query("SELECT @@version AS v").first?.string("v").contains("MariaDB") == true)
            #expect(try await connection.query("SELECT 'ü→✓' AS u").first?["u"] == "ü→✓")

            #expect(try await connection.execute("CREATE DATABASE t") == 1)
            #expect(try await connection.query("CREATE TABLE t.x (id INT PRIMARY KEY, v INT)").isEmpty)
            #expect(try await connection.execute("INSERT INTO t.x VALUES (1, 0), (2, 0), (3, 0)") == 3)
            #expect(try await connection.execute("UPDATE t.x SET v = 1 WHERE id >= 2") == 2)
            #expect(try await connection.query("SELECT id FROM t.x ORDER BY id").map { $0.int("id") } == [1, 2, 3])

            let syntax = try #require(await #expect(throws: MySQLError.self) { try await connection.query("SELEKT 1") })
            #expect(syntax.code == 1064 && syntax.sqlState == "42000" && !syntax.isConnectionFailure)
            #expect(syntax.endpoint == endpoint)
            #expect(syntax.description.hasPrefix("127.0.0.1:\(endpoint.port): Error 1064 (42000): "), "\(syntax)")
            // A failed statement leaves the connection usable.
            #expect(try await connection.query("SELECT 2 AS n").first?.int("n") == 2)

            await connection.close()
            await connection.close()
            let closed = try #require(await #expect(throws: MySQLError.self) { try await connection.query("SELECT 1") })
            #expect(closed.code == 2006 && closed.isConnectionFailure)
        }
    }

    @Test func rejectsAWrongPasswordWithoutPrintingIt() async throws {
        try await withSandbox(topology: "0") { sandbox in
            let denied = try #require(await #expect(throws: MySQLError.self) {
                try await MySQLConnection.connect(
                    to: sandbox.instances[0].endpoint, credentials: MySQLCredentials(user: "orchestrator", password: "wrong-pass")
                )
            })
            #expect(denied.code == 1045 && denied.sqlState == "28000" && !denied.isConnectionFailure)
            #expect(!denied.description.contains("wrong-pass"))
        }
    }

    /// Calls on one connection run one at a time, and waiting for a busy connection does not
    /// hold a pool thread: a slow server never delays queries to another one.
    @Test func serialisesCallsPerConnectionWithoutBlockingThePool() async throws {
        try await withSandbox(topology: "0") { sandbox in
            let pool = MySQLThreadPool(threadCount: 2)
            defer { pool.shutdown() }
            let endpoint = sandbox.instances[0].endpoint
            let patient = MySQLConnectionOptions(readTimeoutSeconds: 30, writeTimeoutSeconds: 30)
            let slow = try await MySQLConnection.connect(to: endpoint, credentials: Sandbox.topologyCredentials, options: patient, pool: pool)
            let other = try await MySQLConnection.connect(to: endpoint, credentials: Sandbox.topologyCredentials, options: patient, pool: pool)
            let started = ContinuousClock.now
            let quickQueryTook = try await withThrowingTaskGroup(of: Duration?.self) { group in
                for index in 0..<4 {
                    group.addTask {
                        let row = try await slow.query("SELECT SLEEP(1) AS s, \(index) AS i").first
                        #expect(row?.int("i") == Int64(index))
                        return nil
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(50))
                    let before = ContinuousClock.now
                    _ = try await other.query("SELECT 1")
                    return ContinuousClock.now - before
                }
                return try await group.compactMap { $0 }.reduce(into: [Duration]()) { $0.append($1) }.first
            }
            #expect(ContinuousClock.now - started >= .milliseconds(3990), "four 1 s sleeps must not overlap")
            // Were pool threads held by calls waiting for the slow connection, the quick query
            // would wait for the sleeps (about 4 s); half of that is a margin for a loaded machine.
            #expect(try #require(quickQueryTook) < .seconds(2))
            await slow.close()
            await other.close()
        }
    }
}
