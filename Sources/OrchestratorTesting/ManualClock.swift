import Engine
import Foundation
import Synchronization
import Topology

/// A clock that moves only when a test advances it: a sleeper wakes once the clock is advanced
/// to (or past) its deadline, so grace periods, block periods and expiries are tested in
/// microseconds, and a test knows exactly which time each decision saw.
package final class ManualClock: EngineClock {
    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        /// Everything the clock was advanced by.
        var uptime: Duration = .zero
        var sleepers: [UUID: Sleeper] = [:]
        /// Tests waiting for at least `count` sleepers (a loop is back asleep: its pass is done).
        var sleeperWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

        mutating func takeSatisfiedWaiters() -> [CheckedContinuation<Void, Never>] {
            let count = sleepers.count
            let satisfied = sleeperWaiters.filter { $0.count <= count }.map(\.continuation)
            sleeperWaiters.removeAll { $0.count <= count }
            return satisfied
        }
    }

    private let state: Mutex<State>

    /// Starts at `now`: by default the real time (so facts stamped by real probes stay close)
    /// in whole seconds, so instants read back from the store (milliseconds) compare equal.
    package init(now: Date = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))) {
        state = Mutex(State(now: now))
    }

    package var now: Date { state.withLock { $0.now } }

    package var uptime: Duration { state.withLock { $0.uptime } }

    /// How many tasks are asleep on this clock.
    package var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    package func sleep(for duration: Duration) async throws(CancellationError) {
        let id = UUID()
        do {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    // The cancellation check is under the lock, so a cancellation that came before
                    // the sleeper was listed is seen here, and one that comes after finds it listed.
                    let (due, waiters): (Bool?, [CheckedContinuation<Void, Never>]) = state.withLock { state in
                        if Task.isCancelled { return (nil, []) }
                        let deadline = state.now.addingTimeInterval(duration.inSeconds)
                        if deadline <= state.now { return (true, []) }
                        state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                        return (false, state.takeSatisfiedWaiters())
                    }
                    for waiter in waiters { waiter.resume() }
                    switch due {
                    case nil: continuation.resume(throwing: CancellationError())
                    case true?: continuation.resume()
                    case false?: break
                    }
                }
            } onCancel: {
                state.withLock { $0.sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
            }
        } catch {
            throw CancellationError()
        }
    }

    /// Moves the time forward by `duration` and wakes every sleeper whose deadline it reached,
    /// earliest first.
    package func advance(by duration: Duration) {
        let due: [Sleeper] = state.withLock { state in
            state.now = state.now.addingTimeInterval(duration.inSeconds)
            state.uptime += duration
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers.removeValue(forKey: id) }
            return due.values.sorted { $0.deadline < $1.deadline }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Returns once at least `count` tasks sleep on this clock. After `advance`, waiting for the
    /// number of periodic loops that sleep here means each woken loop finished its pass.
    package func waitForSleepers(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let satisfied = state.withLock { state in
                if state.sleepers.count >= count { return true }
                state.sleeperWaiters.append((count, continuation))
                return false
            }
            if satisfied { continuation.resume() }
        }
    }
}

extension ManualClock {
    /// Advances once `loops` periodic loops sleep on this clock, then returns when they all
    /// sleep again: each made one pass at the new time. `duration` must reach every loop's
    /// deadline (at least its longest interval), or a loop still asleep counts as done.
    package func advance(by duration: Duration, loops: Int) async {
        await waitForSleepers(loops)
        advance(by: duration)
        await waitForSleepers(loops)
    }
}
