import Synchronization

/// An async FIFO lock: one holder at a time, the others suspend without occupying a thread.
/// A lock that blocked would park pool threads behind one slow server and starve the others.
final class SerialGate: Sendable {
    private struct State: ~Copyable {
        var isHeld = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        var head = 0
    }

    private let state = Mutex(State())

    /// Runs `body` once every earlier caller has finished.
    func withGate<T>(_ body: () async throws(MySQLError) -> T) async throws(MySQLError) -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        let acquired = state.withLock { state -> Bool in
            guard state.isHeld else { state.isHeld = true; return true }
            return false
        }
        if acquired { return }
        await withCheckedContinuation { continuation in
            let acquiredMeanwhile = state.withLock { state -> Bool in
                guard state.isHeld else { state.isHeld = true; return true }
                state.waiters.append(continuation)
                return false
            }
            if acquiredMeanwhile { continuation.resume() }
        }
    }

    /// Hands the gate straight to the next waiter (it stays held), so nobody can overtake.
    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.head < state.waiters.count else {
                state.waiters.removeAll(keepingCapacity: true)
                state.head = 0
                state.isHeld = false
                return nil
            }
            let next = state.waiters[state.head]
            state.head += 1
            return next
        }
        next?.resume()
    }
}
