import Engine
import Foundation
import OrchestratorTesting
import Store
import Testing
import Topology

/// Work a service starts and does not wait for (detection hooks, post-failover hooks) belongs
/// to that service: it never delays the caller, and the engine's shutdown waits for it.
@Suite(.timeLimit(.minutes(2)))
struct BackgroundWorkTests {
    @Test func aWaitingDetectionHookDelaysNoOtherDetectionAndShutdownAwaitsIt() async throws {
        let ports = try SandboxPorts.allocate(count: 6)
        let gate = try HookGate()
        defer { gate.remove() }
        try await withManualClock(configure: { $0.detection.onFailureDetectionProcesses = [gate.command(appending: "{failedPort}")] }) { harness in
            let first = await harness.loadDeadMaster(ports: [ports, ports + 1, ports + 2])
            let second = await harness.loadDeadMaster(ports: [ports + 3, ports + 4, ports + 5])
            await harness.advance(by: .seconds(1))
            let detected = (try await harness.detections(of: first).count, try await harness.detections(of: second).count)
            #expect(detected == (1, 1), "each detected once, the second while the first one's hook waits")
            #expect(gate.lines.isEmpty)
            gate.open()
        }
        // The engine has shut down, which waited for both hooks.
        #expect(gate.lines.sorted() == ["\(ports)", "\(ports + 3)"])
    }

    @Test func postFailoverHooksRunAfterTheRecoveryReturnsAndShutdownAwaitsThem() async throws {
        let ports = try SandboxPorts.allocate(count: 3)
        let gate = try HookGate()
        defer { gate.remove() }
        var recovery = RecoveryConfiguration()
        // Nothing listens on the ports: the recovery fails, and the unsuccessful-failover hooks run.
        recovery.postUnsuccessfulFailoverProcesses = [gate.command(appending: "{failedPort}")]
        try await withManualClock(recovery: recovery, configure: { $0.automatedRecovery = false }) { harness in
            let master = await harness.loadDeadMaster(ports: [ports, ports + 1, ports + 2])
            let entry = try #require(await harness.entry(master))
            guard case let .recovered(record) = await harness.engine.recovery.recover(entry) else {
                Issue.record("the recovery did not run")
                return
            }
            #expect(!record.isSuccessful)
            #expect(gate.lines.isEmpty, "the recovery returned while its hook waits")
            gate.open()
        }
        #expect(gate.lines == ["\(ports)"], "shutdown waited for the hook")
    }
}
