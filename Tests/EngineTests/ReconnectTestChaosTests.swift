import Engine
import Foundation
import OrchestratorTesting
import Sandbox
import Store
import Testing
import Topology

/// `ReplicaReconnectTestMilliseconds` on real servers. The replicas' heartbeat period is 50 s,
/// so the passive proof (`MasterSilence`: 75 s of silence) cannot decide within these tests'
/// budgets: whatever is decided here, the reconnect test decided.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct ReconnectTestChaosTests {
    static let slowHeartbeats = SandboxOptions(heartbeatPeriod: 50)

    static func withReconnectTest<T>(windowMilliseconds: Int64, _ body: (DetectionHarness) async throws -> T) async throws -> T {
        try await withDetection(recovery: RecoveryConfiguration(), configure: { $0.discovery.replicaReconnectTestMilliseconds = windowMilliseconds }, body)
    }

    /// Whether the audit log says the IO thread of every one of `replicas` was restarted.
    static func restarted(_ replicas: [InstanceKey], _ harness: DetectionHarness) async -> Bool {
        for key in replicas {
            let audit = (try? await harness.store.auditEntries(page: 0, pageSize: 100, instance: key)) ?? []
            if !audit.contains(where: { $0.type == "restart-slave-io-thread" && $0.message.hasPrefix("restarted the IO thread") }) { return false }
        }
        return true
    }

    @Test func aFrozenMasterIsReplacedOnceNoReplicaCanReconnectToIt() async throws {
        try await withSandbox(topology: "1>0,2>0", options: Self.slowHeartbeats) { sandbox in
            try await Self.withReconnectTest(windowMilliseconds: 500) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                let writer = try await SandboxWriter.start(on: sandbox, index: 0)
                #expect(await writer.waitUntilAcknowledged(20), "the writer was writing")
                try sandbox.kill(0, signal: SIGSTOP)
                var released = false
                do {
                    let recovery = try #require(try await RecoveryTests.finishedRecovery(of: keys[0], harness, timeout: .seconds(30)))
                    #expect(recovery.analysis == AnalysisCode.deadMaster.rawValue)
                    #expect(recovery.isSuccessful, "\(recovery.allErrors)")
                    #expect(await Self.restarted([keys[1], keys[2]], harness), "both replicas were asked to reconnect")
                    let successor = try #require(recovery.successor)
                    let other = try #require([1, 2].first { keys[$0] != successor })
                    let rewired = try await expectEventually(timeout: .seconds(30)) {
                        guard let state = try? await sandbox.replication(other) else { return false }
                        return state.masterPort == successor.port && state.running
                    }
                    let detail = await RecoveryTests.replicationDetail(sandbox, other)
                    #expect(rewired, "the other replica replicates from the new master: \(detail)")
                    try sandbox.kill(0, signal: SIGCONT)
                    released = true
                    let fenced = try await expectEventually(timeout: .seconds(30)) { await ChaosMatrixTests.isReadOnly(sandbox, 0) }
                    #expect(fenced, "the old master was made read-only once it answered again")
                    await writer.finished()
                } catch {
                    if !released { try? sandbox.kill(0, signal: SIGCONT) }
                    throw error
                }
            }
        }
    }

    /// Paused until the test has restarted both replicas, then let go well within the window:
    /// the replicas get back in, and nothing is recovered.
    @Test func aMasterThatTakesTheReplicasBackWithinTheWindowIsNeverRecovered() async throws {
        try await withSandbox(topology: "1>0,2>0", options: Self.slowHeartbeats) { sandbox in
            try await Self.withReconnectTest(windowMilliseconds: 5000) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                try sandbox.kill(0, signal: SIGSTOP)
                let tested: Bool
                do {
                    tested = try await expectEventually(timeout: .seconds(20)) { await Self.restarted([keys[1], keys[2]], harness) }
                } catch {
                    try? sandbox.kill(0, signal: SIGCONT)
                    throw error
                }
                try sandbox.kill(0, signal: SIGCONT)
                try #require(tested, "the paused master's replicas were asked to reconnect")
                let back = try await expectEventually(timeout: .seconds(30)) {
                    for index in [1, 2] {
                        guard let state = try? await sandbox.replication(index), state.masterPort == keys[0].port, state.running else { return false }
                    }
                    return true
                }
                #expect(back, "both replicas replicate from the master again")
                let seen = try await harness.codesSeen(for: keys[0], whileProbing: keys, probes: 3)
                let dead: Set<AnalysisCode> = [.deadMaster, .deadMasterAndReplicas, .deadMasterAndSomeReplicas]
                #expect(seen.isDisjoint(with: dead), "seen: \(seen)")
                #expect(try await harness.store.recoveries(RecoveryQuery()).isEmpty, "nothing was recovered")
                let detections = try await harness.store.failureDetections(pageSize: 100)
                #expect(!detections.contains { dead.map(\.rawValue).contains($0.analysis) }, "\(detections.map(\.analysis))")
            }
        }
    }
}
