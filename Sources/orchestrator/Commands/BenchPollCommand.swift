import ArgumentParser
import Engine
import Foundation
import Logging
import MySQLClient
import Sandbox
import Topology

/// Measures the probe: how many instance-probes per second one process sustains, and the CPU
/// each costs in this process (the sandbox servers' own CPU is reported apart).
struct BenchPollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-poll", abstract: "Benchmark instance probes against a sandbox (used by bench/poll).", shouldDisplay: false
    )

    @Option(name: .long) var dir = "/tmp/orchestrator-bench"
    @Option(name: .long) var basePort = 25306
    @Option(name: .long) var topology = "1>0,2>0,3>2"
    @Option(name: .long, help: "Seconds to run.") var seconds = 10.0
    @Option(name: .long, help: "Concurrent probe loops per instance.") var loopsPerInstance = 4

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let spec = try SandboxTopologySpec(parsing: topology)
        let sandbox = try await Sandbox.up(directory: dir, basePort: basePort, topology: spec, logger: logger)
        do {
            try await measure(sandbox: sandbox, logger: logger)
        } catch {
            try await sandbox.down()
            throw error
        }
        try await sandbox.down()
    }

    private func measure(sandbox: Sandbox, logger: Logger) async throws {
        let configuration = DiscoveryConfiguration(credentials: Sandbox.topologyCredentials)
        let keys = sandbox.instances.map { InstanceKey(hostname: "127.0.0.1", port: $0.port) }
        // One probe object per loop: each keeps its own cached connection, as separate
        // instances would in production.
        let probes = (0..<loopsPerInstance).map { _ in
            InstanceProbe(configuration: configuration,
                          connections: ConnectionCache(credentials: configuration.credentials, options: configuration.connectionOptions),
                          logger: logger)
        }
        for probe in probes { for key in keys { _ = try await probe.probe(key) } }  // warm connections

        let serverPids = sandbox.instances.compactMap { sandbox.pid(of: $0.index) }
        let serverCPUBefore = serverPids.map(Self.processCPUSeconds).reduce(0, +)
        let cpuBefore = Self.ownCPUSeconds()
        let started = ContinuousClock.now
        let deadline = started.advanced(by: .milliseconds(Int64(seconds * 1000)))
        // Each loop counts its own probes; the totals are summed when all are done.
        let (probeCount, failureCount) = await withTaskGroup(of: (Int, Int).self) { group in
            for probe in probes {
                for key in keys {
                    group.addTask {
                        var done = 0
                        var failed = 0
                        while ContinuousClock.now < deadline {
                            do {
                                _ = try await probe.probe(key)
                                done += 1
                            } catch {
                                failed += 1
                            }
                        }
                        return (done, failed)
                    }
                }
            }
            return await group.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
        }
        let elapsed = ContinuousClock.now - started
        let elapsedSeconds = elapsed.inSeconds
        let cpu = Self.ownCPUSeconds() - cpuBefore
        let serverCPU = serverPids.map(Self.processCPUSeconds).reduce(0, +) - serverCPUBefore
        print("instances:                 \(keys.count) (\(topology)), \(loopsPerInstance) loops each, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("duration:                  \(String(format: "%.1f", elapsedSeconds)) s")
        print("probes:                    \(probeCount) (failures: \(failureCount))")
        print("probes per second:         \(String(format: "%.0f", Double(probeCount) / elapsedSeconds))")
        print("orchestrator CPU / probe:  \(String(format: "%.3f", cpu * 1000 / Double(max(probeCount, 1)))) ms")
        print("mariadbd CPU / probe:      \(String(format: "%.3f", serverCPU * 1000 / Double(max(probeCount, 1)))) ms (all servers together)")
        print("orchestrator CPU use:      \(String(format: "%.0f", cpu / elapsedSeconds * 100)) % of one core")
    }

    static func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// utime + stime of another process from /proc/PID/stat, in seconds.
    static func processCPUSeconds(_ pid: pid_t) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
