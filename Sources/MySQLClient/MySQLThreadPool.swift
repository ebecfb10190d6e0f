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
    /// Counts queued jobs (plus one wake-up per thread at shutdown).
    private let available = DispatchSemaphore(value: 0)
    package let threadCount: Int

    /// Shared by every connection of the process: bounds how many servers are talked to at once.
    package static let shared = MySQLThreadPool(threadCount: 64)

    package init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        for index in 0..<self.threadCount {
            let thread = Thread { [self] in self.work() }
            thread.name = "mysql-\(index)"
            // Connector/C needs little stack; 64 threads at the 8 MB default would reserve 512 MB.
            thread.stackSize = 512 * 1024
            thread.start()
        }
    }

    /// Runs `body` on one of the pool's threads and returns its result.
    package func run<T: Sendable>(_ body: @escaping @Sendable () throws(MySQLError) -> T) async throws(MySQLError) -> T {
        let result: Result<T, MySQLError> = await withCheckedContinuation { continuation in
            let accepted = enqueue {
                continuation.resume(returning: Result { () throws(MySQLError) -> T in try body() })
            }
            if !accepted {
                continuation.resume(returning: .failure(
                    MySQLError(code: 2000, sqlState: "HY000", message: "MySQL thread pool is shut down", endpoint: nil)
                ))
            }
        }
        return try result.get()
    }

    /// Queues `job` without waiting for it; runs it inline if the pool is shut down.
    func submit(_ job: @escaping @Sendable () -> Void) {
        if !enqueue(job) { job() }
    }

    /// Stops the threads once the queued work is done; later `run` calls fail.
    package func shutdown() {
        let wasShutDown = state.withLock { state -> Bool in
            defer { state.isShutDown = true }
            return state.isShutDown
        }
        guard !wasShutDown else { return }
        for _ in 0..<threadCount { available.signal() }
    }

    /// Whether the calling code runs on one of the pools' dedicated threads.
    package static var isPoolThread: Bool {
        Thread.current.threadDictionary[poolThreadMarker] as? Bool ?? false
    }

    private static let poolThreadMarker = "orchestrator.mysql-pool-thread"

    private func enqueue(_ job: @escaping @Sendable () -> Void) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard !state.isShutDown else { return false }
            state.jobs.append(job)
            return true
        }
        if accepted { available.signal() }
        return accepted
    }

    private func work() {
        Thread.current.threadDictionary[Self.poolThreadMarker] = true
        while true {
            available.wait()
            let next = state.withLock { state -> (job: (@Sendable () -> Void)?, isShutDown: Bool) in
                guard state.head < state.jobs.count else { return (nil, state.isShutDown) }
                let job = state.jobs[state.head]
                state.head += 1
                // Drop the consumed prefix now and then so the queue does not grow without bound.
                if state.head == state.jobs.count {
                    state.jobs.removeAll(keepingCapacity: true)
                    state.head = 0
                } else if state.head > 1024 {
                    state.jobs.removeFirst(state.head)
                    state.head = 0
                }
                return (job, state.isShutDown)
            }
            if let job = next.job {
                job()
            } else if next.isShutDown {
                return
            }
        }
    }
}
