import Foundation
import MySQLClient
import OrchestratorTesting
import Sandbox
import Synchronization
import Testing

@Suite(.serialized, .timeLimit(.minutes(3)))
struct MySQLClientTests {
    @Test func typedRowsErrorsAndHangs() async throws {
        try await withSandbox(topology: "0") { sandbox in
            let connection = try await sandbox.connect(0)
            let row = try #require(try await connection.query("SELECT 1 AS a, NULL AS b, 'x' AS c, @@version AS v").first)
            #expect(row.int("a") == 1)
            #expect(row["b"] == nil && row.has("b"))
            #expect(row.string("c") == "x" && row["C"] == "x")
            #expect(row.string("v").contains("MariaDB"))
            #expect(!row.has("missing"))

            _ = try await connection.execute("CREATE DATABASE t")
            _ = try await connection.execute("CREATE TABLE t.x (id INT PRIMARY KEY)")
            let inserted = try await connection.execute("INSERT INTO t.x VALUES (1), (2), (3)")
            #expect(inserted == 3)

            do throws(MySQLError) {
                _ = try await connection.query("SELEKT 1")
                Issue.record("expected a syntax error")
            } catch {
                #expect(error.code == 1064)
                #expect(error.sqlState == "42000")
                #expect(error.description.contains("127.0.0.1:\(sandbox.instances[0].port)"))
                #expect(!error.isConnectionFailure)
            }

            do throws(MySQLError) {
                _ = try await MySQLConnection.connect(to: sandbox.instances[0].endpoint, credentials: MySQLCredentials(user: "orchestrator", password: "wrong"))
                Issue.record("expected access denied")
            } catch {
                #expect(error.code == 1045)
                #expect(!error.description.contains("wrong"))
            }

            // A stopped (SIGSTOP) server: the query fails after about the read timeout.
            let hung = try await MySQLConnection.connect(
                to: sandbox.instances[0].endpoint, credentials: Sandbox.topologyCredentials,
                options: MySQLConnectionOptions(connectTimeoutSeconds: 1, readTimeoutSeconds: 1, writeTimeoutSeconds: 1)
            )
            try sandbox.kill(0, signal: SIGSTOP)
            let started = ContinuousClock.now
            do throws(MySQLError) {
                _ = try await hung.query("SELECT 1")
                Issue.record("expected a timeout")
            } catch {
                #expect(error.isConnectionFailure)
            }
            let waited = ContinuousClock.now - started
            try sandbox.kill(0, signal: SIGCONT)
            #expect(waited >= .milliseconds(900) && waited < .seconds(5), "waited \(waited)")
            await hung.close()
            await connection.close()
        }
    }

    @Test func closedPortFailsFast() async throws {
        let port = try SandboxPorts.allocate(count: 1)
        let started = ContinuousClock.now
        do throws(MySQLError) {
            _ = try await MySQLConnection.connect(to: MySQLEndpoint(host: "127.0.0.1", port: port), credentials: Sandbox.topologyCredentials)
            Issue.record("expected connection refused")
        } catch {
            #expect([2002, 2003].contains(error.code))
            #expect(error.description.contains("127.0.0.1:\(port)"))
        }
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func poolUsesDedicatedThreadsAndBoundsConcurrency() async throws {
        let pool = MySQLThreadPool(threadCount: 2)
        defer { pool.shutdown() }
        let observed = Observations()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    _ = try? await pool.run { () throws(MySQLError) -> Int in
                        observed.state.withLock {
                            $0.running += 1
                            $0.peak = max($0.peak, $0.running)
                            $0.onPoolThread = $0.onPoolThread && MySQLThreadPool.isPoolThread
                        }
                        usleep(100_000)
                        observed.state.withLock { $0.running -= 1 }
                        return 0
                    }
                }
            }
        }
        let (peak, onPoolThread) = observed.state.withLock { ($0.peak, $0.onPoolThread) }
        #expect(peak == 2)
        #expect(onPoolThread)
        #expect(!MySQLThreadPool.isPoolThread)
    }
}

/// What the pool's closures saw, shared across them.
final class Observations: Sendable {
    struct State {
        var running = 0
        var peak = 0
        var onPoolThread = true
    }
    let state = Mutex(State())
}
