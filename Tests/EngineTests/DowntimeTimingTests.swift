import Engine
import Foundation
import OrchestratorTesting
import Store
import Testing
import Topology

/// A downtime ends when the clock passes its end: the analysis stops honouring it and the sweep
/// removes it from the registry and the store.
@Suite(.timeLimit(.minutes(2)))
struct DowntimeTimingTests {
    @Test func aDowntimeEndsWhenTimePassesItsEnd() async throws {
        let ports = try SandboxPorts.allocate(count: 3)
        try await withManualClock { harness in
            let master = await harness.loadDeadMaster(ports: [ports, ports + 1, ports + 2])
            _ = try await harness.engine.downtimes.begin(master, owner: "test", reason: "maintenance", duration: 600, at: harness.clock.now)
            #expect(await harness.entry(master)?.skippableDueToDowntime == true)

            await harness.advance(by: .seconds(599))
            #expect(await harness.engine.downtimes.downtimed(clusterName: nil).map(\.key) == [master], "599 s into a 600 s downtime")
            #expect(try await harness.store.downtimes().map(\.key) == [master])
            #expect(await harness.entry(master)?.skippableDueToDowntime == true)

            await harness.advance(by: .seconds(1))
            #expect(await harness.engine.downtimes.downtimed(clusterName: nil).isEmpty, "600 s: the downtime is over")
            #expect(await harness.registry.activeDowntimes(at: .distantPast).isEmpty, "the sweep dropped it")
            #expect(try await harness.store.downtimes().isEmpty)
            #expect(await harness.entry(master)?.skippableDueToDowntime == false, "analysis no longer skips the master")
        }
    }
}
