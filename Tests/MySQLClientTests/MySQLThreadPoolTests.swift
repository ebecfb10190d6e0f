import Foundation
import MySQLClient
import Synchronization
import Testing

@Suite struct MySQLThreadPoolTests {
    @Test func runsOnDedicatedThreadsAndBoundsConcurrency() async throws {
        let pool = MySQLThreadPool(threadCount: 2)
        defer { pool.shutdown() }
        let observed = Observations()
        let started = ContinuousClock.now
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
                        observed.state.withLock { $0.running -= 1; $0.completed += 1 }
                        return 0
                    }
                }
            }
        }
        let state = observed.state.withLock { $0 }
        #expect(state.peak == 2)
        #expect(state.completed == 6)
        #expect(state.onPoolThread)
        #expect(!MySQLThreadPool.isPoolThread)
        // Six 100 ms closures on two threads: three rounds.
        #expect(ContinuousClock.now - started >= .milliseconds(290))
    }

    @Test func returnsValuesAndTypedErrors() async throws {
        let pool = MySQLThreadPool(threadCount: 1)
        defer { pool.shutdown() }
        #expect(try await pool.run { () throws(MySQLError) -> Int in 7 } == 7)
        let failure = MySQLError(code: 2013, sqlState: "HY000", message: "lost", endpoint: nil)
        await #expect(throws: failure) {
            try await pool.run { () throws(MySQLError) -> Int in throw failure }
        }
    }

    @Test func refusesWorkAfterShutdown() async throws {
        let pool = MySQLThreadPool(threadCount: 1)
        pool.shutdown()
        let error = await #expect(throws: MySQLError.self) { try await pool.run { () throws(MySQLError) -> Int in 1 } }
        #expect(error?.code == 2000)
    }
}

/// What the pool's closures saw, shared across them.
final class Observations: Sendable {
    struct State {
        var running = 0
        var peak = 0
        var completed = 0
        var onPoolThread = true
    }
    let state = Mutex(State())
}
