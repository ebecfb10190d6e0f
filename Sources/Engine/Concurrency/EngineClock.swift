import Foundation

/// Where the engine's services read the time and wait. Every decision that depends on time
/// (start-up grace, the failure-detection block, anti-flapping, downtime, candidate and
/// maintenance expiry) reads `now` here and every periodic loop sleeps here, so a test drives
/// them with a manual clock instead of sleeping. Durations measured for metrics and logs stay on
/// `ContinuousClock`: they describe what happened, they decide nothing.
package protocol EngineClock: Sendable {
    /// The current wall-clock time, as the store records it and decisions compare it.
    var now: Date { get }
    /// Time since a fixed point, which never jumps (the wall clock may be set back or forward):
    /// for "how long since" decisions within this process, such as the start-up grace.
    var uptime: Duration { get }
    /// Suspends for `duration` of this clock's time; throws when the task is cancelled.
    func sleep(for duration: Duration) async throws(CancellationError)
}

/// The daemon's clock: the system's wall time, and real sleeps.
package struct SystemClock: EngineClock {
    private let origin = ContinuousClock.now

    package init() {}

    package var now: Date { Date() }

    package var uptime: Duration { ContinuousClock.now - origin }

    package func sleep(for duration: Duration) async throws(CancellationError) {
        // `Task.sleep` throws only when cancelled.
        do { try await Task.sleep(for: duration) } catch { throw CancellationError() }
    }
}
