import Engine
import Foundation
import OrchestratorTesting
import Store
import Testing
import Topology

/// The start-up grace period and the failure-detection block, driven by a manual clock: each
/// decision is checked just before and just after its boundary, without sleeping.
@Suite(.timeLimit(.minutes(2)))
struct DetectionTimingTests {
    @Test func noDetectionIsRecordedDuringTheStartupGracePeriod() async throws {
        let ports = try SandboxPorts.allocate(count: 3)
        try await withManualClock(configure: { $0.detection.startupGracePeriod = .seconds(30) }) { harness in
            let master = await harness.loadDeadMaster(ports: [ports, ports + 1, ports + 2])
            try #require(await harness.entry(master)?.analysis == .deadMaster)

            await harness.advance(by: .seconds(29))
            #expect(try await harness.detections(of: master).isEmpty, "29 s after start: still in the 30 s grace period")

            await harness.advance(by: .seconds(1))
            let recorded = try await harness.detections(of: master)
            #expect(recorded.map(\.analysis) == ["DeadMaster"], "30 s after start the grace period is over")
        }
    }

    @Test func aProblemIsRecordedOncePerDetectionPeriodBlock() async throws {
        let ports = try SandboxPorts.allocate(count: 3)
        try await withManualClock(configure: { $0.detection.failureDetectionPeriodBlockMinutes = 60 }) { harness in
            let master = await harness.loadDeadMaster(ports: [ports, ports + 1, ports + 2])
            await harness.advance(by: .seconds(1))
            let first = try await harness.detections(of: master)
            try #require(first.count == 1 && first[0].isActive, "\(first)")

            await harness.advance(by: .seconds(59 * 60))
            #expect(try await harness.detections(of: master).count == 1, "59 min later the detection still blocks a new one")

            await harness.advance(by: .seconds(61))
            let later = try await harness.detections(of: master)
            #expect(later.count == 2, "past the 60 min block the failure, still there, is detected again")
            #expect(later.map(\.isActive) == [false, true], "the expired detection ended, the new one is active")
            // The store keeps milliseconds.
            #expect(later.last.map { ($0.startActivePeriod.timeIntervalSince(first[0].startActivePeriod) * 1000).rounded() } == 3_601_000, "detected again at the first pass past the block")
        }
    }
}
