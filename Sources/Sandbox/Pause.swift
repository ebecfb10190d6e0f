import Dispatch

/// Waits `duration` even when the task is cancelled. For teardown loops (stopping a server,
/// removing a sandbox) that must finish regardless: `try? await Task.sleep` returns at once in a
/// cancelled task, and such a loop then spins on the CPU until its deadline.
package func pauseIgnoringCancellation(_ duration: Duration) async {
    let nanoseconds = max(0, Int(duration.components.seconds) * 1_000_000_000 + Int(duration.components.attoseconds / 1_000_000_000))
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { continuation.resume() }
    }
}
