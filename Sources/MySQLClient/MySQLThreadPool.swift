import Foundation
import Synchronization

/// Dedicated OS threads for blocking Connector/C calls, so they never occupy Swift's
/// cooperative pool. At most `threadCount` calls run at once; the rest wait in FIFO order.
package final class MySQLThreadPool: Sendable {
    private struct State: ~Copyable {
        var jobs: [@Sendable () -> Void] = []
        var head = 0
        var isShutDown = false
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    package let threadCount: Int

    /// Shared by every connection of the process.
    package static let shared = MySQLThreadPool(threadCount: 64)

    package init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        for index in 0..<self.threadCount {
            let thread = Thread { [self] in self.work() }
            thread.name = "mysql-\(index)"
            thread.stackSize = 512 * 1024
            thread.start()
        }
    }

    /// Runs `body` on one of the pool's threads and returns its result.
    package func run<T: Sendable>(_ body: @escaping @Sendable () throws(MySQLError) -> T) async throws(MySQLError) -> T {
        let result: Result<T, MySQLError> = await withCheckedContinuation { continuation in
            let job: @Sendable () -> Void = {
                continuation.resume(returning: Result { () throws(MySQLError) -> T in try body() })
            }
            let accepted = state.withLock { state -> Bool in
                guard !state.isShutDown else { return false }
                state.jobs.append(job)
                return true
            }
            if accepted {
                available.signal()
            } else {
                continuation.resume(returning: .failure(MySQLError(code: 2000, sqlState: "HY000", message: "MySQL thread pool is shut down", endpoint: nil)))
            }
        }
        return try result.get()
    }

    /// Stops the threads once the queued work is done.
    package func shutdown() {
        state.withLock { $0.isShutDown = true }
        for _ in 0..<threadCount { available.signal() }
    }

    /// Whether the calling code runs on one of the pools' dedicated threads.
    package static var isPoolThread: Bool {
        Thread.current.threadDictionary[poolThreadMarker] as? Bool ?? false
    }

    private static let poolThreadMarker = "orchestrator.mysql-pool-thread"

    private func work() {
        Thread.current.threadDictionary[Self.poolThreadMarker] = true
        while true {
            available.wait()
            let job = state.withLock { state -> (@Sendable () -> Void)? in
                guard state.head < state.jobs.count else { return nil }
                let job = state.jobs[state.head]
                state.head += 1
                // Compact now and then so the queue does not grow without bound.
                if state.head > 1024, state.head * 2 > state.jobs.count {
                    state.jobs.removeFirst(state.head)
                    state.head = 0
                }
                return job
            }
            guard let job else {
                if state.withLock({ $0.isShutDown }) { return }
                continue
            }
            job()
        }
    }
}
