import ServiceLifecycle
import Synchronization

/// Work a service starts that outlives the call that started it (an automatic recovery, the
/// hooks and KV writes after a failover, a detection hook, a KV retry). The caller only queues
/// it; the owner's `run()` runs each piece as a child task of its own task group, so none is
/// unowned, a slow piece delays nothing else, and shutdown awaits it.
///
/// On graceful shutdown the queue drains: what is queued or running finishes, work it queues
/// meanwhile (a recovery's post-failover hooks) still runs, and then `run()` returns. New work
/// queued once the queue is idle and draining is refused. On cancellation the running work is
/// cancelled and awaited, and what was still queued is dropped.
package final class WorkQueue: Sendable {
    package typealias Work = @Sendable () async -> Void

    private struct State {
        /// Queued or running.
        var pending = 0
        var isDraining = false
        var isClosed = false
        var idleWaiters: [CheckedContinuation<Void, Never>] = []

        /// Refuses new work from now on; whether this call closed it.
        mutating func close() -> Bool {
            guard !isClosed else { return false }
            isClosed = true
            return true
        }
    }

    private let jobs: AsyncStream<Work>
    private let continuation: AsyncStream<Work>.Continuation
    private let state = Mutex(State())

    package init() {
        (jobs, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Queues `work`; `false` when the queue has shut down (the work does not run).
    @discardableResult
    package func enqueue(_ work: @escaping Work) -> Bool {
        let accepted = state.withLock { state in
            guard !state.isClosed else { return false }
            state.pending += 1
            return true
        }
        guard accepted else { return false }
        if case .terminated = continuation.yield(work) {
            finished()
            return false
        }
        return true
    }

    /// Runs queued work until a graceful shutdown has drained the queue, or until cancelled.
    /// Call it once, from the owning service's `run()`.
    package func run() async {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await work in jobs {
                    group.addTask {
                        await work()
                        self.finished()
                    }
                }
            }
        } onGracefulShutdown: {
            self.drain()
        }
        // Drained, or cancelled: then what never started is dropped, so nobody waits for it.
        let waiters = state.withLock { state in
            state.isClosed = true
            state.pending = 0
            defer { state.idleWaiters = [] }
            return state.idleWaiters
        }
        continuation.finish()
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once nothing is queued or running (at once when nothing is); for tests and
    /// callers that need background work done before they look at its effects.
    package func waitUntilIdle() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state in
                if state.pending == 0 { return true }
                state.idleWaiters.append(waiter)
                return false
            }
            if idle { waiter.resume() }
        }
    }

    private func drain() {
        let close = state.withLock { state in
            state.isDraining = true
            return state.pending == 0 ? state.close() : false
        }
        if close { continuation.finish() }
    }

    private func finished() {
        let (waiters, close) = state.withLock { state in
            // Never below zero: work refused after a cancelled run dropped the count counts out too.
            state.pending = max(0, state.pending - 1)
            guard state.pending == 0 else { return ([CheckedContinuation<Void, Never>](), false) }
            defer { state.idleWaiters = [] }
            return (state.idleWaiters, state.isDraining ? state.close() : false)
        }
        if close { continuation.finish() }
        for waiter in waiters { waiter.resume() }
    }
}
