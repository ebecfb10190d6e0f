import Foundation
import Synchronization

/// Work started in the background (post-failover hooks, KV retries) that shutdown and tests can
/// wait for. A task may finish before it is registered; that case is remembered so no finished
/// task stays listed (and no waiter spins on one).
package final class BackgroundTasks: Sendable {
    private struct State {
        var running: [UUID: Task<Void, Never>] = [:]
        var finishedBeforeRegistered: Set<UUID> = []
    }

    private let state = Mutex(State())

    package init() {}

    package func start(_ work: @escaping @Sendable () async -> Void) {
        let id = UUID()
        let task = Task {
            await work()
            self.state.withLock { state in
                if state.running.removeValue(forKey: id) == nil { state.finishedBeforeRegistered.insert(id) }
            }
        }
        state.withLock { state in
            if state.finishedBeforeRegistered.remove(id) == nil { state.running[id] = task }
        }
    }

    /// Waits until no background work is left, including work started meanwhile.
    package func waitUntilIdle() async {
        while let (id, task) = state.withLock({ $0.running.first.map { ($0.key, $0.value) } }) {
            await task.value
            // Normally the task removed itself; make sure, so the loop always progresses.
            _ = state.withLock { $0.running.removeValue(forKey: id) }
        }
    }
}
