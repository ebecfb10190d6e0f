import AsyncHTTPClient
import Foundation
import Logging
import Sandbox
import Topology

/// What the failure benchmarks share: a daemon on a fresh store watching a sandbox, and figures.
enum BenchSupport {
    /// Starts a daemon with `adjust` applied to its configuration, discovers the sandbox from
    /// its master and waits until every instance is checked and replicating.
    static func startDaemon(
        sandbox: Sandbox, dir: String, httpPort: Int, pollSeconds: Double, watch: Bool, logger: Logger,
        adjust: (inout OrchestratorConfiguration) -> Void = { _ in }
    ) async throws -> (daemon: Daemon, running: Task<Void, Error>) {
        var configuration = try OrchestratorConfiguration.parse([:])
        configuration.listenAddress = "127.0.0.1:\(httpPort)"
        configuration.sqlite3DataFile = dir + ".sqlite3"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: configuration.sqlite3DataFile + suffix) }
        configuration.mySQLTopologyUser = Sandbox.topologyCredentials.user
        configuration.mySQLTopologyPassword = Sandbox.topologyCredentials.password
        configuration.instancePollSeconds = pollSeconds
        adjust(&configuration)
        let daemon = try Daemon(configuration: configuration, logger: logger, watchMasters: watch)
        let running = Task { try await daemon.run() }
        let master = InstanceKey(hostname: "127.0.0.1", port: sandbox.basePort)
        try await daemon.discovery.discover(master)
        let count = sandbox.instances.count
        let clock = ContinuousClock()
        let ready = clock.now.advanced(by: .seconds(20))
        while clock.now < ready {
            let all = await daemon.discovery.registry.allInstances()
            if all.count == count, all.allSatisfy({ $0.isLastCheckValid && ($0.masterKey.port == 0 || $0.isReplicationRunning) }) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return (daemon, running)
    }

    /// Past the start-up grace period, then a random point of the poll cycle.
    static func sleepToRandomPointOfPollCycle(pollSeconds: Double) async throws {
        try await Task.sleep(for: .milliseconds(Int64(3 * pollSeconds * 1000) + Int64.random(in: 0...Int64(pollSeconds * 1000))))
    }

    /// Seconds from `killed` until `/api/replication-analysis` shows DeadMaster, as an operator
    /// would see it; gives up after 30 s.
    static func waitForDeadMasterInAPI(client: HTTPClient, httpPort: Int, since killed: ContinuousClock.Instant) async throws -> Double {
        let url = "http://127.0.0.1:\(httpPort)/api/replication-analysis"
        while ContinuousClock.now - killed < .seconds(30) {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
            let text = String(buffer: try await response.body.collect(upTo: 16 << 20))
            if text.contains("\"Analysis\":\"DeadMaster\"") { return (ContinuousClock.now - killed).inSeconds }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw ClientError(message: "DeadMaster not seen within 30 s")
    }

    /// `min/median/max` of `values`, formatted in seconds.
    static func summary(_ values: [Double]) -> String {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return "no runs" }
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        return String(format: "min %.3f s, median %.3f s, max %.3f s", sorted[0], median, sorted[sorted.count - 1])
    }
}
