import Foundation

/// A process-wide limit on sandboxes running at once. Swift Testing runs suites in parallel; on
/// a 2-core machine thirty mariadbd starting together (beside etcd, ZooKeeper and the tests'
/// own work) make every probe budget miss. Suites queue here instead, first come first served.
/// `ORCHESTRATOR_TEST_SANDBOXES` overrides the limit (default: 2, or half the cores if more).
package actor SandboxSlots {
    package static let shared = SandboxSlots(limit: defaultLimit)

    private let limit: Int
    private var inUse = 0
    private var waiting: [(id: UUID, continuation: CheckedContinuation<Void, any Error>)] = []

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
            await shared.release()
            return result
        } catch {
            await shared.release()
            throw error
        }
    }

    /// Waits for a slot; a test cancelled meanwhile (its time limit) leaves the queue at once
    /// instead of starting servers for nothing later.
    private func acquire() async throws {
        if inUse < limit {
            inUse += 1
            return
        }
        // The slot is handed over by `release`, which keeps `inUse` counted for us.
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiting.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiting(id) }
        }
    }

    private func cancelWaiting(_ id: UUID) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    private func release() {
        if waiting.isEmpty {
            inUse -= 1
        } else {
            waiting.removeFirst().continuation.resume()
        }
    }
}
