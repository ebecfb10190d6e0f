import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import Sandbox
import Topology

/// Measures detection: kill -9 the master of a sandbox at a random moment and time how long
/// until `/api/replication-analysis` shows DeadMaster for it, as an operator would see it.
struct BenchDetectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-detect", abstract: "Benchmark failure detection against a sandbox (used by bench/detect).", shouldDisplay: false
    )

    @Option(name: .long) var dir = "/tmp/orchestrator-bench-detect"
    @Option(name: .long) var basePort = 25406
    @Option(name: .long) var httpPort = 25499
    @Option(name: .long) var topology = "1>0,2>0,3>0"
    @Option(name: .long) var runs = 10
    @Option(name: .long, help: "InstancePollSeconds.") var pollSeconds = 1.0
    @Flag(inversion: .prefixedNo, help: "Keep an idle connection to each master to notice its death at once.") var watch = true

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let spec = try SandboxTopologySpec(parsing: topology)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var timings: [Double] = []
        for run in 1...runs {
            let sandbox = try await Sandbox.up(directory: dir, basePort: basePort, topology: spec, logger: logger)
            do {
                let seconds = try await measureOnce(sandbox: sandbox, client: client, logger: logger)
                timings.append(seconds)
                print(String(format: "run %2d: DeadMaster visible %.3f s after kill -9", run, seconds))
            } catch {
                print("run \(run): \(error)")
            }
            try await sandbox.down()
        }
        try await client.shutdown()
        guard !timings.isEmpty else { throw ExitCode(1) }
        let sorted = timings.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        print("topology \(topology), InstancePollSeconds \(pollSeconds), liveness watch \(watch ? "on" : "off"), \(timings.count) runs")
        print(String(format: "median %.3f s, max %.3f s, min %.3f s", median, sorted.last ?? 0, sorted.first ?? 0))
    }

    private func measureOnce(sandbox: Sandbox, client: HTTPClient, logger: Logger) async throws -> Double {
        var configuration = try OrchestratorConfiguration.parse([:])
        configuration.listenAddress = "127.0.0.1:\(httpPort)"
        configuration.sqlite3DataFile = dir + ".sqlite3"
        try? FileManager.default.removeItem(atPath: configuration.sqlite3DataFile)
        configuration.mySQLTopologyUser = Sandbox.topologyCredentials.user
        configuration.mySQLTopologyPassword = Sandbox.topologyCredentials.password
        configuration.instancePollSeconds = pollSeconds
        let daemon = try Daemon(configuration: configuration, logger: logger, watchMasters: watch)
        let running = Task { try await daemon.run() }
        defer { running.cancel() }
        let master = InstanceKey(hostname: "127.0.0.1", port: basePort)
        try await daemon.discovery.discover(master)
        let count = sandbox.instances.count
        let clock = ContinuousClock()
        let ready = clock.now.advanced(by: .seconds(20))
        while clock.now < ready {
            let all = await daemon.discovery.registry.allInstances()
            if all.count == count, all.allSatisfy({ $0.isLastCheckValid && ($0.masterKey.port == 0 || $0.isReplicationRunning) }) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        // Past the start-up grace period, then a random point of the poll cycle.
        try await Task.sleep(for: .milliseconds(Int64(3 * pollSeconds * 1000) + Int64.random(in: 0...Int64(pollSeconds * 1000))))
        try sandbox.kill(0)
        let killed = clock.now
        let url = "http://127.0.0.1:\(httpPort)/api/replication-analysis"
        while clock.now - killed < .seconds(30) {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
            let body = try await response.body.collect(upTo: 16 << 20)
            let text = String(buffer: body)
            if text.contains("\"Analysis\":\"DeadMaster\"") {
                let elapsed = clock.now - killed
                running.cancel()
                _ = try? await running.value
                return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw ClientError(message: "DeadMaster not seen within 30 s")
    }
}
