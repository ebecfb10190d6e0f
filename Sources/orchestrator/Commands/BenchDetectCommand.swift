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
        print("topology \(topology), InstancePollSeconds \(pollSeconds), liveness watch \(watch ? "on" : "off"), \(timings.count) runs")
        print(BenchSupport.summary(timings))
    }

    private func measureOnce(sandbox: Sandbox, client: HTTPClient, logger: Logger) async throws -> Double {
        let (_, running) = try await BenchSupport.startDaemon(
            sandbox: sandbox, dir: dir, httpPort: httpPort, pollSeconds: pollSeconds, watch: watch, logger: logger
        )
        defer { running.cancel() }
        try await BenchSupport.sleepToRandomPointOfPollCycle(pollSeconds: pollSeconds)
        let clock = ContinuousClock()
        try sandbox.kill(0)
        let killed = clock.now
        let seconds = try await BenchSupport.waitForDeadMasterInAPI(client: client, httpPort: httpPort, since: killed)
        running.cancel()
        _ = try? await running.value
        return seconds
    }
}
