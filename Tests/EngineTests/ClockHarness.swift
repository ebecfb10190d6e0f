import Engine
import Foundation
import OrchestratorTesting
import Store
import Topology

/// The engine built by the daemon's factory and run in a `ServiceGroup`, on a manual clock,
/// over a registry the test fills with plain instances: no server runs, so time-driven
/// decisions are checked at exact instants without sleeping.
struct ClockHarness {
    let engine: OrchestratorEngine
    let clock: ManualClock
    var store: SQLiteStore { engine.store }
    var registry: InstanceRegistry { engine.registry }

    /// The periodic loops that sleep on the engine's clock: the analysis sweep, the recovery
    /// service's expiry pass and the downtime sweep (each every second here), and the deposed
    /// master fence's re-read of the recoveries (every 2 s; an advance shorter than that leaves
    /// it asleep, which counts as done).
    static let loops = 4

    /// Moves the clock on; returns once every periodic loop made its pass at the new time.
    func advance(by duration: Duration) async {
        await clock.advance(by: duration, loops: Self.loops)
    }

    /// A master on `ports[0]` whose last probe failed, and replicas on the other ports whose IO
    /// thread cannot reconnect to it: a DeadMaster. Nothing listens on these ports, so a
    /// recovery's probes fail at once.
    @discardableResult
    func loadDeadMaster(ports: [Int]) async -> InstanceKey {
        let master = InstanceKey(hostname: "127.0.0.1", port: ports[0])
        for port in ports {
            var instance = Instance(key: InstanceKey(hostname: "127.0.0.1", port: port))
            instance.version = "10.11.6-MariaDB-log"
            instance.binlogFormat = "ROW"
            instance.logBinEnabled = true
            instance.logReplicationUpdatesEnabled = true
            instance.replicationLagSeconds = 0
            if port != ports[0] {
                instance.masterKey = master
                instance.readOnly = true
                instance.usingMariaDBGTID = true
                instance.sqlThreadState = .running
                instance.ioThreadState = .other
                instance.lastIOError = "error reconnecting to master 'repl@\(master)' - retry-time: 1  maximum-retries: 100000  message: Can't connect"
            }
            await registry.recordSuccess(instance, at: clock.now)
        }
        // A later failed probe of the master: its last check is no longer valid.
        await registry.recordFailure(master, error: "connection refused", partialSuccess: false, at: clock.now.addingTimeInterval(0.001))
        return master
    }

    /// A single healthy master on `port`.
    @discardableResult
    func loadMaster(port: Int) async -> InstanceKey {
        var instance = Instance(key: InstanceKey(hostname: "127.0.0.1", port: port))
        instance.version = "10.11.6-MariaDB-log"
        instance.logBinEnabled = true
        await registry.recordSuccess(instance, at: clock.now)
        return instance.key
    }

    /// The current analysis entry of `key`, if any.
    func entry(_ key: InstanceKey) async -> ReplicationAnalysis? {
        await engine.analysis.currentAnalysis().first { $0.analyzedInstanceKey == key }
    }

    /// Detections recorded for `key`, oldest first.
    func detections(of key: InstanceKey) async throws -> [FailureDetection] {
        try await store.failureDetections(pageSize: 100).filter { $0.key == key }.sorted { ($0.id ?? 0) < ($1.id ?? 0) }
    }
}

/// Runs `body` against an engine on a `ManualClock`, with no seeds and no start-up grace unless
/// `configure` says otherwise.
func withManualClock<T>(
    recovery: RecoveryConfiguration? = nil, configure: (inout EngineConfiguration) -> Void = { _ in }, _ body: (ClockHarness) async throws -> T
) async throws -> T {
    let clock = ManualClock()
    var configuration = EngineConfiguration.sandbox(recovery: recovery)
    configuration.clock = clock
    // Nothing to watch: instances are loaded, not discovered.
    configuration.watchMasters = false
    configure(&configuration)
    return try await withRunningEngine(configuration) { engine in
        let harness = ClockHarness(engine: engine, clock: clock)
        // Every loop has started and sleeps on the clock before the test moves it.
        await clock.waitForSleepers(ClockHarness.loops)
        return try await body(harness)
    }
}
