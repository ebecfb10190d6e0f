import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import MySQLClient
import Sandbox
import Topology

/// Measures leadership failover: etcd and three `orchestrator serve` nodes on loopback watch a
/// sandbox; at a random moment the leader is killed with -9 (and, with `--kill-master`, the
/// MariaDB master at the same instant). Times from the kill to another node answering
/// `leader-check` with 200, and to a replica writable with no replication; counts recoveries
/// across the surviving nodes (exactly one expected).
struct BenchLeaderFailoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-leader-failover", abstract: "Benchmark leadership failover through etcd (used by bench/leader-failover).", shouldDisplay: false
    )

    @Option(name: .long) var dir = "/tmp/orchestrator-bench-leader"
    @Option(name: .long) var basePort = 25606
    @Option(name: .long, help: "First of 3 HTTP ports; etcd takes the 2 after them.") var httpPort = 25690
    @Option(name: .long) var runs = 10
    @Option(name: .long, help: "EtcdLeaseTTLSeconds.") var leaseTTL = 2
    @Option(name: .long, help: "etcd --heartbeat-interval in ms (election timeout 10 times that); etcd's minimum lease TTL is 1.5 election timeouts, rounded up to seconds.")
    var etcdHeartbeatMilliseconds = 100
    @Flag(name: .long, help: "Also kill the MariaDB master at the same moment.") var killMaster = false

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var leaderTimes: [Double] = [], writableTimes: [Double] = [], recoveryCounts: [Int] = []
        for run in 1...runs {
            try? FileManager.default.removeItem(atPath: dir)
            let sandbox = try await Sandbox.up(directory: dir + "/sandbox", basePort: basePort, topology: SandboxTopologySpec(parsing: "1>0,2>0"), logger: logger)
            let cluster = BenchHACluster(dir: dir, httpPort: httpPort, leaseTTL: leaseTTL, etcdHeartbeatMilliseconds: etcdHeartbeatMilliseconds)
            do {
                try await cluster.start(seed: sandbox.basePort)
                let leader = try await cluster.awaitLeader(client: client, among: [0, 1, 2], within: .seconds(60))
                try await cluster.awaitDiscovered(client: client, instances: sandbox.instances.count)
                // Past the nodes' start-up grace period (3 × InstancePollSeconds, no detection
                // before), then a random moment of the lease's keepalive cycle.
                try await Task.sleep(for: .seconds(3))
                try await Task.sleep(for: .milliseconds(Int64.random(in: 0...Int64(leaseTTL * 1000))))
                let clock = ContinuousClock()
                let killed = clock.now
                cluster.kill(leader)
                if killMaster { try sandbox.kill(0) }
                let others = [0, 1, 2].filter { $0 != leader }
                _ = try await cluster.awaitLeader(client: client, among: others, within: .seconds(30))
                let leaderAfter = (clock.now - killed).inSeconds
                leaderTimes.append(leaderAfter)
                var line = String(format: "run %2d: new leader answering leader-check %.3f s", run, leaderAfter)
                if killMaster {
                    let writable = try await Self.waitForWritableReplica(sandbox, [1, 2], since: killed)
                    writableTimes.append(writable)
                    // Time for a second recovery, if any node were to run one.
                    try await Task.sleep(for: .seconds(3))
                    let count = try await cluster.recoveryCount(client: client, among: others)
                    recoveryCounts.append(count)
                    line += String(format: ", new master writable %.3f s, recoveries %d", writable, count)
                }
                print(line)
            } catch {
                print("run \(run): \(error)")
            }
            await cluster.stop()
            try await sandbox.down()
        }
        try await client.shutdown()
        guard !leaderTimes.isEmpty else { throw ExitCode(1) }
        print("3 nodes + etcd (heartbeat \(etcdHeartbeatMilliseconds) ms) on loopback, EtcdLeaseTTLSeconds \(leaseTTL), leader killed with -9\(killMaster ? " with the master" : ""), \(leaderTimes.count) runs")
        print("kill → another node answers leader-check: " + BenchSupport.summary(leaderTimes))
        if killMaster {
            print("kills → new master writable:             " + BenchSupport.summary(writableTimes))
            print("recoveries per run: \(recoveryCounts.map(String.init).joined(separator: " "))")
        }
    }

    /// Seconds from `killed` until one of `indexes` is writable with no replication.
    static func waitForWritableReplica(_ sandbox: Sandbox, _ indexes: [Int], since killed: ContinuousClock.Instant) async throws -> Double {
        var connections: [MySQLConnection] = []
        for index in indexes { connections.append(try await sandbox.connect(index)) }
        var result: Double?
        while result == nil, ContinuousClock.now - killed < .seconds(60) {
            for connection in connections where result == nil {
                let readOnly = try await connection.query("SELECT @@global.read_only AS ro").first?.int("ro")
                if readOnly == 0, try await connection.query("SHOW SLAVE STATUS").isEmpty { result = (ContinuousClock.now - killed).inSeconds }
            }
            if result == nil { try await Task.sleep(for: .milliseconds(5)) }
        }
        for connection in connections { await connection.close() }
        guard let result else { throw ClientError(message: "no replica became writable within 60 s") }
        return result
    }
}
