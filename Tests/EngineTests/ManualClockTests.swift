import Engine
import Foundation
import OrchestratorTesting
import Synchronization
import Testing

/// The test clock itself: a sleeper wakes exactly when the clock reaches its deadline, and a
/// cancelled one at once.
@Suite(.timeLimit(.minutes(1)))
struct ManualClockTests {
    @Test func aSleeperWakesOnlyOnceAdvancedToItsDeadline() async throws {
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1000))
        let woke = Flag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await clock.sleep(for: .seconds(10))
                woke.set()
            }
            await clock.waitForSleepers(1)
            clock.advance(by: .seconds(9))
            #expect(clock.sleeperCount == 1, "9 s of 10: still asleep")
            #expect(!woke.isSet)
            clock.advance(by: .seconds(1))
            try await group.waitForAll()
            #expect(woke.isSet)
            #expect(clock.now == Date(timeIntervalSince1970: 1010))
        }
    }

    @Test func aCancelledSleeperThrowsWithoutTheClockMoving() async throws {
        let clock = ManualClock()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await clock.sleep(for: .seconds(3600)) }
            await clock.waitForSleepers(1)
            group.cancelAll()
            await #expect(throws: CancellationError.self) { try await group.next() }
        }
        #expect(clock.sleeperCount == 0)
    }

    @Test func uptimeCountsWhatTheClockWasAdvancedBy() {
        let clock = ManualClock()
        clock.advance(by: .seconds(90))
        clock.advance(by: .milliseconds(500))
        #expect(clock.uptime == .milliseconds(90_500))
    }

    @Test func aZeroSleepReturnsAtOnce() async throws {
        let clock = ManualClock()
        try await clock.sleep(for: .zero)
        #expect(clock.sleeperCount == 0)
    }
}

/// A flag set by one task and read by another.
private final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
