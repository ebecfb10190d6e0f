import Engine
import Foundation
import OrchestratorTesting
import Testing
import Topology

/// Discovering something that is not a reachable MySQL server fails clearly and stores nothing.
@Suite(.timeLimit(.minutes(15)))
struct DiscoveryFailureTests {
    @Test func closedPortFailsWithClearError() async throws {
        let port = try SandboxPorts.allocate(count: 1)
        try await withDiscovery { discovery, store in
            let error = await #expect(throws: ProbeError.self) { try await discovery.discover(localKey(port)) }
            #expect(error?.description.contains("127.0.0.1:\(port)") == true)
            #expect(error?.underlying.isConnectionFailure == true)
            #expect(await discovery.registry.allInstances().isEmpty)
            await discovery.flush()
            let stored = try await store.allInstances()
            #expect(stored.isEmpty)
        }
    }

    @Test func nonMySQLPortFailsWithinTimeouts() async throws {
        let listener = try NonMySQLListener(.answersHTTPAndCloses)
        defer { listener.stop() }
        try await withDiscovery { discovery, store in
            let started = ContinuousClock.now
            let error = await #expect(throws: ProbeError.self) { try await discovery.discover(localKey(listener.port)) }
            // Bounded by the probe's timeouts, not hung (the margin is for a loaded machine).
            #expect(ContinuousClock.now - started < .seconds(30))
            #expect(error?.description.contains("127.0.0.1:\(listener.port)") == true)
            #expect(await discovery.registry.allInstances().isEmpty)
            await discovery.flush()
            let stored = try await store.allInstances()
            #expect(stored.isEmpty)
        }
    }

    @Test func silentPortFailsWithinTimeouts() async throws {
        let listener = try NonMySQLListener(.staysSilent)
        defer { listener.stop() }
        try await withDiscovery { discovery, _ in
            let started = ContinuousClock.now
            await #expect(throws: ProbeError.self) { try await discovery.discover(localKey(listener.port)) }
            #expect(ContinuousClock.now - started < .seconds(30))
            #expect(await discovery.registry.allInstances().isEmpty)
        }
    }
}
