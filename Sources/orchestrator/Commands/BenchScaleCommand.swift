import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import Sandbox
import Topology

/// Measures what dividing the probes costs and saves: etcd and N `orchestrator serve` nodes on
/// loopback against a sandbox fleet of several clusters, with `DivideProbesAmongNodes` on (or
/// off, `--no-divide`, for comparison). Prints per node probes per second, CPU seconds per probe
/// (utime+stime from /proc over the probes the node ran), RSS and the probe results it received;
/// with division on, also the time from kill -9 of a node to each of its clusters being probed
/// by another node (the node is restarted between runs).
struct BenchScaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-scale", abstract: "Benchmark probes divided among nodes (used by bench/scale).", shouldDisplay: false
    )

    @Option(name: .long) var dir = "/tmp/orchestrator-bench-scale"
    @Option(name: .long) var basePort = 25706
    @Option(name: .long, help: "First of the nodes' HTTP ports; etcd takes the 2 after them.") var httpPort = 25790
    @Option(name: .long) var nodes = 3
    @Option(name: .long) var clusters = 4
    @Option(name: .long, help: "Replicas below each master.") var replicas = 2
    @Option(name: .long, help: "Seconds the probe rate and CPU are measured over.") var measureSeconds = 30
    @Option(name: .long, help: "kill -9 runs (division on only).") var runs = 5
    @Flag(inversion: .prefixedNo, help: "DivideProbesAmongNodes.") var divide = true

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        try? FileManager.default.removeItem(atPath: dir)
        let spec = (0..<clusters).map { cluster -> String in
            let master = cluster * (replicas + 1)
            return ([String(master)] + (1...max(1, replicas)).prefix(replicas).map { "\(master + $0)>\(master)" }).joined(separator: ",")
        }.joined(separator: ",")
        let sandbox = try await Sandbox.up(directory: dir + "/sandbox", basePort: basePort, topology: SandboxTopologySpec(parsing: spec), logger: logger)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let fleet = BenchHACluster(
            dir: dir, httpPort: httpPort, leaseTTL: 2, etcdHeartbeatMilliseconds: 100, nodeCount: nodes,
            extraSettings: #", "DivideProbesAmongNodes": \#(divide)"#
        )
        do {
            let masters = (0..<clusters).map { sandbox.basePort + $0 * (replicas + 1) }
            try await fleet.start(seeds: masters)
            _ = try await fleet.awaitLeader(client: client, among: fleet.indexes, within: .seconds(60))
            try await fleet.awaitDiscovered(client: client, instances: sandbox.instances.count)
            // The nodes' registrations settle and every node's list has all of them.
            try await Task.sleep(for: .seconds(5))
            print("\(nodes) nodes on loopback, \(clusters) clusters of 1+\(replicas) (\(sandbox.instances.count) servers), InstancePollSeconds 1, DivideProbesAmongNodes \(divide)")
            try await measure(fleet, client: client)
            if divide {
                let probe = ScaleProbeWatch(fleet: fleet, client: client)
                var times: [Double] = []
                for run in 1...max(1, runs) {
                    if let seconds = try await killAndWait(run: run, fleet, probe: probe, sandbox: sandbox, masters: masters) { times.append(seconds) }
                }
                print("kill -9 of a node → each of its clusters probed by another node: " + BenchSupport.summary(times))
            }
        } catch {
            print("bench-scale: \(error)")
        }
        await fleet.stop()
        try await sandbox.down()
        try await client.shutdown()
    }

    /// Probes, CPU and RSS of every node over `measureSeconds`.
    private func measure(_ fleet: BenchHACluster, client: HTTPClient) async throws {
        var before: [(probes: Double, received: Double, ticks: Double)] = []
        for index in fleet.indexes {
            let metrics = try await metricsText(fleet, index, client: client)
            before.append((Self.sum(metrics, "orchestrator_discovery_probes_total"), Self.sum(metrics, "orchestrator_probe_share_received_total"), Self.cpuTicks(fleet.pid(index))))
        }
        let started = ContinuousClock.now
        try await Task.sleep(for: .seconds(measureSeconds))
        let elapsed = (ContinuousClock.now - started).inSeconds
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        var totalCPU = 0.0, totalProbes = 0.0
        for index in fleet.indexes {
            let metrics = try await metricsText(fleet, index, client: client)
            let probes = Self.sum(metrics, "orchestrator_discovery_probes_total") - before[index].probes
            let received = Self.sum(metrics, "orchestrator_probe_share_received_total") - before[index].received
            let cpu = (Self.cpuTicks(fleet.pid(index)) - before[index].ticks) / ticksPerSecond
            totalCPU += cpu
            totalProbes += probes
            print(String(
                format: "node %d: %.1f probes/s, %.2f ms CPU per probe (%.1f%% of a core), RSS %.0f MB, %.1f results/s received from peers",
                index, probes / elapsed, probes > 0 ? cpu / probes * 1000 : 0, cpu / elapsed * 100, Self.rssMegabytes(fleet.pid(index)), received / elapsed
            ))
        }
        print(String(format: "all nodes: %.1f probes/s, %.2f ms CPU per probe, %.1f%% of a core", totalProbes / elapsed, totalCPU / max(1, totalProbes) * 1000, totalCPU / elapsed * 100))
        if divide {
            let page = try await fleet.get(client: client, fleet.api(0) + "/probe-share?since=0")
            let results = (try? ProbeSharePage(decoding: page).results.count) ?? 0
            if results > 0 { print("probe-share: \(page.count / results) bytes per result (node 0, \(results) results)") }
        }
    }

    /// Kills the node that probes the most clusters, times how long until each of them shows
    /// a probe by another node that started after the kill, restarts the node.
    private func killAndWait(run: Int, _ fleet: BenchHACluster, probe: ScaleProbeWatch, sandbox: Sandbox, masters: [Int]) async throws -> Double? {
        let owners = try await probe.owners(among: fleet.indexes) { master(of: $0, base: sandbox.basePort) }
        guard let victim = fleet.indexes.max(by: { owners[$0, default: []].count < owners[$1, default: []].count }), let owned = owners[victim], !owned.isEmpty else {
            print("run \(run): no node owns a cluster alone (\(owners))")
            return nil
        }
        let survivors = fleet.indexes.filter { $0 != victim }
        var cursors = try await probe.cursors(survivors)
        // A random moment of the victim's keepalive cycle.
        try await Task.sleep(for: .milliseconds(Int64.random(in: 0...2000)))
        let killed = Date()
        fleet.kill(victim)
        var coveredAt: [Int: Date] = [:]
        let deadline = ContinuousClock.now + .seconds(60)
        while coveredAt.count < owned.count, ContinuousClock.now < deadline {
            for result in try await probe.newResults(survivors, cursors: &cursors) where result.startedAt > killed {
                let master = master(of: result.key.port, base: sandbox.basePort)
                if owned.contains(master) { coveredAt[master] = min(coveredAt[master] ?? result.finishedAt, result.finishedAt) }
            }
        }
        let seconds = coveredAt.count == owned.count ? coveredAt.values.map { $0.timeIntervalSince(killed) }.max() : nil
        if let seconds {
            print(String(format: "run %d: killed node %d (%d of %d clusters); probed by another node after %.3f s", run, victim, owned.count, masters.count, seconds))
        } else {
            print("run \(run): killed node \(victim); its clusters \(owned) not all probed within 60 s (\(coveredAt.count) were)")
        }
        try fleet.restart(victim)
        // Back in the node list and its share taken again.
        try await Task.sleep(for: .seconds(6))
        return seconds
    }

    /// The master port of the sandbox cluster `port` belongs to (clusters are consecutive ports).
    private func master(of port: Int, base: Int) -> Int { base + (port - base) / (replicas + 1) * (replicas + 1) }

    private func metricsText(_ fleet: BenchHACluster, _ index: Int, client: HTTPClient) async throws -> String {
        String(decoding: try await fleet.get(client: client, "http://127.0.0.1:\(fleet.httpPort + index)/metrics"), as: UTF8.self)
    }

    /// The sum of every series of `name` in a Prometheus text exposition.
    static func sum(_ text: String, _ name: String) -> Double {
        text.split(separator: "\n").filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }.compactMap { line in
            line.split(separator: " ").last.flatMap { Double($0) }
        }.reduce(0, +)
    }

    /// utime + stime of `pid`, in clock ticks (`/proc/<pid>/stat` fields 14 and 15).
    static func cpuTicks(_ pid: pid_t) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: field 3 is the state, so utime (14) and stime (15) are at 11 and 12.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return user + system
    }

    static func rssMegabytes(_ pid: pid_t) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return 0 }
        return kilobytes / 1024
    }
}
