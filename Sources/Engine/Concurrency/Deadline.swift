import Synchronization

/// Runs `work` in a task of its own and answers its result, or `nil` once `limit` has passed
/// (or the caller is cancelled); then the work is cancelled and left to wind down in the
/// background. Unlike a task group, the answer never waits for a cancelled child to finish (a
/// killed hook's grandchild holding its output pipe, say). That is why these two tasks are
/// unstructured, the one deliberate exception to "background work belongs to a task group": a
/// child task cannot outlive its group, and waiting for it would make the timeout unbounded.
func withDeadline<T: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async -> T) async -> T? {
    let state = Mutex(DeadlineState<T>())
    // The first answer wins; the work (if still running) and the timer are cancelled.
    let answer: @Sendable (T?) -> Void = { value in
        let (continuation, tasks) = state.withLock { state -> (CheckedContinuation<T?, Never>?, [Task<Void, Never>]) in
            guard !state.answered else { return (nil, []) }
            state.answered = true
            defer { state.continuation = nil; state.tasks = [] }
            return (state.continuation, state.tasks)
        }
        for task in tasks { task.cancel() }
        continuation?.resume(returning: value)
    }
    return await withTaskCancellationHandler {
        await withCheckedContinuation { continuation in
            // The continuation is in place before anything can answer.
            let cancelledAlready = state.withLock { state in
                state.continuation = continuation
                return state.answered
            }
            if cancelledAlready {
                continuation.resume(returning: nil)
                return
            }
            let tasks = [
                Task { answer(await work()) },
                Task {
                    do { try await Task.sleep(for: limit) } catch { return }
                    answer(nil)
                },
            ]
            let answered = state.withLock { state in
                if !state.answered { state.tasks = tasks }
                return state.answered
            }
            // Answered meanwhile: whatever is left is not needed.
            if answered { for task in tasks { task.cancel() } }
        }
    } onCancel: {
        answer(nil)
    }
}

private struct DeadlineState<T: Sendable>: ~Copyable {
    var continuation: CheckedContinuation<T?, Never>?
    var answered = false
    var tasks: [Task<Void, Never>] = []
}
