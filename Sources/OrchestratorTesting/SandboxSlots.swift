import Foundation
import Synchronization

/// A process-wide limit on sandboxes running at once. Swift Testing runs suites in parallel; on
/// a 2-core machine thirty mariadbd starting together (beside etcd, ZooKeeper and the tests'
/// own work) make every probe budget miss. Suites queue here instead, first come first served.
/// `ORCHESTRATOR_TEST_SANDBOXES` overrides the limit (default: 2, or half the cores if more).
///
/// The state is behind a `Mutex`, not in an actor, so a cancelled waiter leaves the queue from
/// the (synchronous) cancellation handler itself, with no task started to do it.
package final class SandboxSlots: Sendable {
    package static let shared = SandboxSlots(limit: defaultLimit)

    private struct State {
        var inUse = 0
        var waiting: [(id: UUID, continuation: CheckedContinuation<Void, any Error>)] = []
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) { self.limit = max(1, limit) }

    private static var defaultLimit: Int {
        if let text = ProcessInfo.processInfo.environment["ORCHESTRATOR_TEST_SANDBOXES"], let value = Int(text), value > 0 { return value }
        return max(2, ProcessInfo.processInfo.activeProcessorCount / 2)
    }

    /// Whether the current task already holds a slot: a sandbox started inside another
    /// sandbox's body shares its slot, so nesting never deadlocks.
    @TaskLocal static var isHeld = false

    /// Runs `body` once a slot is free.
    package static func withSlot<T>(_ body: () async throws -> T) async throws -> T {
        if isHeld { return try await body() }
        try await shared.acquire()
        do {
            let result = try await $isHeld.withValue(true) { try await body() }
            shared.release()
            return result
        } catch {
            shared.release()
            throw error
        }
    }

    /// Waits for a slot; a test cancelled meanwhile (its time limit) leaves the queue at once
    /// instead of starting servers for nothing later.
    private func acquire() async throws {
        // The slot is handed over by `release`, which keeps `inUse` counted for us.
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Checked under the lock: a cancellation before the waiter is listed is seen
                // here, one after it finds the waiter listed.
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.inUse < limit {
                        state.inUse += 1
                        return .success(())
                    }
                    state.waiting.append((id, continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let index = state.waiting.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiting.remove(at: index).continuation
            }
            cancelled?.resume(throwing: CancellationError())
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            if state.waiting.isEmpty {
                state.inUse -= 1
                return nil
            }
            return state.waiting.removeFirst().continuation
        }
        next?.resume()
    }
}
