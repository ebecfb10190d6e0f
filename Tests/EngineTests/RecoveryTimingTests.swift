import Engine
import Foundation
import OrchestratorTesting
import Store
import Testing
import Topology

/// Anti-flapping (`RecoveryPeriodBlockSeconds`) and candidate expiry
/// (`CandidateInstanceExpireMinutes`) as the recovery service applies them, on a manual clock.
/// The recoveries run against ports where nothing listens: they fail, which is still a
/// recovery that blocks the next one.
@Suite(.timeLimit(.minutes(2)))
struct RecoveryTimingTests {
    static func recoveryConfiguration() -> RecoveryConfiguration {
        var configuration = RecoveryConfiguration()
        configuration.recoveryPeriodBlockSeconds = 3600
        configuration.candidateInstanceExpireMinutes = 60
        return configuration
    }

    @Test func aSecondRecoveryWithinTheBlockPeriodIsBlockedAndAllowedAfterIt() async throws {
        let ports = try SandboxPorts.allocate(count: 3)
        // Recoveries are started by the test, not by analysis, so each attempt is the test's own.
        try await withManualClock(recovery: Self.recoveryConfiguration(), configure: { $0.automatedRecovery = false }) { harness in
            let master = await harness.loadDeadMaster(ports: [ports, ports + 1, ports + 2])
            let entry = try #require(await harness.entry(master))
            try #require(entry.analysis == .deadMaster && entry.clusterDetails.hasAutomatedMasterRecovery)

            guard case let .recovered(first) = await harness.engine.recovery.recover(entry) else {
                Issue.record("the first recovery did not run")
                return
            }
            #expect(await harness.engine.recovery.recover(entry) == .blocked(by: [first.id]), "at once")

            await harness.advance(by: .seconds(3599))
            #expect(await harness.engine.recovery.recover(entry) == .blocked(by: [first.id]), "3599 s later, still in the block period")

            await harness.advance(by: .seconds(2))
            guard case let .recovered(second) = await harness.engine.recovery.recover(entry) else {
                Issue.record("past the block period the recovery did not run")
                return
            }
            #expect(second.id != first.id)
            #expect(second.startActivePeriod.timeIntervalSince(first.startActivePeriod) == 3601)
        }
    }

    @Test func aRegisteredCandidateExpires() async throws {
        let port = try SandboxPorts.allocate(count: 1)
        try await withManualClock(recovery: Self.recoveryConfiguration(), configure: { $0.automatedRecovery = false }) { harness in
            let key = await harness.loadMaster(port: port)
            try await harness.store.registerCandidate(key, rule: .prefer, at: harness.clock.now)
            #expect(try await harness.engine.recovery.promotionRules() == [key: .prefer])

            await harness.advance(by: .seconds(59 * 60))
            #expect(try await harness.engine.recovery.promotionRules() == [key: .prefer], "59 min later the rule holds")
            #expect(try await harness.store.promotionRules(registeredSince: .distantPast) == [key: .prefer])

            await harness.advance(by: .seconds(61))
            #expect(try await harness.engine.recovery.promotionRules().isEmpty, "past 60 min a recovery no longer applies it")
            #expect(try await harness.store.promotionRules(registeredSince: .distantPast).isEmpty, "and the expiry pass removed it")
        }
    }
}
