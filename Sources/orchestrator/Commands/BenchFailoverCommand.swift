import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import MySQLClient
import Sandbox
import Topology

/// Measures automated failover: a writer runs under semi-sync, the master fails at a random
/// moment (`--fault`: killed with -9, frozen with SIGSTOP, or every packet to and from it
/// dropped), and three moments are timed from the fault: DeadMaster visible in
/// `/api/replication-analysis`, a replica writable with no replication, and every other replica
/// replicating from it. A frozen or cut-off master is then let go again (SIGCONT, packets
/// flowing) and the time until it is read-only is measured too.
struct BenchFailoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-failover", abstract: "Benchmark automated failover against a sandbox (used by bench/failover).", shouldDisplay: false
    )

    @Option(name: .long) var dir = "/tmp/orchestrator-bench-failover"
    @Option(name: .long) var basePort = 25506
    @Option(name: .long) var httpPort = 25599
    @Option(name: .long) var topology = "1>0,2>0,3>0"
    @Option(name: .long) var runs = 10
    @Option(name: .long, help: "InstancePollSeconds.") var pollSeconds = 1.0
    @Option(name: .long, help: "kill (kill -9), stop (SIGSTOP) or drop (every packet to and from the master dropped).") var fault = Fault.kill
    @Option(name: .long, help: "The replicas' MASTER_HEARTBEAT_PERIOD in seconds (slave_net_timeout stays 60).") var heartbeat = 1.0
    @Option(name: .long, help: "MasterPingMilliseconds.") var pingMilliseconds = 250
    @Option(name: .long, help: "ReplicaReconnectTestMilliseconds (0: off).") var reconnectTestMilliseconds = 0
    @Flag(inversion: .prefixedNo, help: "Semi-sync replication (no acknowledged write may be lost), or asynchronous.") var semiSync = true

    enum Fault: String, ExpressibleByArgument, CaseIterable {
        case kill, stop, drop
    }

    struct Timings {
        var detected: Double
        var writable: Double
        var rewired: Double
        var lostAcknowledged: Int
        /// From letting a frozen or cut-off master go until it is read-only.
        var fenced: Double?
    }

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = ProcessInfo.processInfo.environment["BENCH_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        let spec = try SandboxTopologySpec(parsing: topology)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var all: [Timings] = []
        for run in 1...runs {
            let sandbox = try await Sandbox.up(
                directory: dir, basePort: basePort, topology: spec, options: SandboxOptions(heartbeatPeriod: heartbeat), logger: logger
            )
            do {
                let timings = try await measureOnce(sandbox: sandbox, client: client, logger: logger)
                all.append(timings)
                print(String(
                    format: "run %2d: DeadMaster %.3f s, writable %.3f s, all replicas rewired %.3f s, acknowledged rows lost: %d%@",
                    run, timings.detected, timings.writable, timings.rewired, timings.lostAcknowledged,
                    timings.fenced.map { String(format: ", old master read-only %.3f s after it came back", $0) } ?? ""
                ))
            } catch {
                print("run \(run): \(error)")
            }
            try await sandbox.down()
        }
        try await client.shutdown()
        guard !all.isEmpty else { throw ExitCode(1) }
        print(
            "fault \(fault.rawValue), topology \(topology), InstancePollSeconds \(pollSeconds), heartbeat \(heartbeat) s, "
                + "slave_net_timeout 60 s, MasterPingMilliseconds \(pingMilliseconds), ReplicaReconnectTestMilliseconds \(reconnectTestMilliseconds), writer under \(semiSync ? "semi-sync" : "asynchronous replication"), \(all.count) runs"
        )
        print("fault → DeadMaster visible:             " + BenchSupport.summary(all.map(\.detected)))
        print("fault → a replica writable, no replication: " + BenchSupport.summary(all.map(\.writable)))
        print("fault → all other replicas replicating from it: " + BenchSupport.summary(all.map(\.rewired)))
        let fenced = all.compactMap(\.fenced)
        if !fenced.isEmpty { print("old master back → read-only:    " + BenchSupport.summary(fenced)) }
        print("acknowledged rows lost, all runs: \(all.map(\.lostAcknowledged).reduce(0, +))\(semiSync ? "" : " (asynchronous: losses are expected)")")
    }

    private func measureOnce(sandbox: Sandbox, client: HTTPClient, logger: Logger) async throws -> Timings {
        let (_, running) = try await BenchSupport.startDaemon(
            sandbox: sandbox, dir: dir, httpPort: httpPort, pollSeconds: pollSeconds, watch: true, logger: logger
        ) { configuration in
            configuration.recoverMasterClusterFilters = ["*"]
            configuration.masterPingMilliseconds = pingMilliseconds
            configuration.replicaReconnectTestMilliseconds = reconnectTestMilliseconds
        }
        defer { running.cancel() }
        let replicas = Array(sandbox.instances.indices.dropFirst())
        if semiSync { try await sandbox.enableSemiSync(master: 0, replicas: replicas) }
        var watchers: [Int: MySQLConnection] = [:]
        for index in replicas { watchers[index] = try await sandbox.connect(index) }
        let writer = try await SandboxWriter.start(on: sandbox, index: 0)
        try await BenchSupport.sleepToRandomPointOfPollCycle(pollSeconds: pollSeconds)

        let clock = ContinuousClock()
        let firewall = LoopbackFirewall()
        defer { firewall.remove() }
        switch fault {
        case .kill: try sandbox.kill(0)
        case .stop: try sandbox.kill(0, signal: SIGSTOP)
        case .drop: try firewall.isolate(port: sandbox.instances[0].port)
        }
        let killed = clock.now
        async let detected = BenchSupport.waitForDeadMasterInAPI(client: client, httpPort: httpPort, since: killed)
        let (promoted, writable) = try await waitForWritableReplica(watchers, since: killed)
        let others = replicas.filter { $0 != promoted }
        let rewired = try await waitForReplication(watchers, others, from: sandbox.instances[promoted].port, since: killed)
        let detectedAfter = try await detected
        var fenced: Double?
        if fault != .kill {
            switch fault {
            case .stop: try sandbox.kill(0, signal: SIGCONT)
            default: firewall.remove()
            }
            fenced = try await waitForReadOnly(sandbox, index: 0)
        }
        await writer.finished()
        let held = try await watchers[promoted]?.query("SELECT id FROM orc_test.t").compactMap { $0.int("id").map(Int.init) } ?? []
        let lost = Set(writer.acknowledgedRows).subtracting(held).count
        for connection in watchers.values { await connection.close() }
        running.cancel()
        _ = try? await running.value
        return Timings(detected: detectedAfter, writable: writable, rewired: rewired, lostAcknowledged: lost, fenced: fenced)
    }

    /// Seconds until the server at `index` answers with read_only=1.
    private func waitForReadOnly(_ sandbox: Sandbox, index: Int) async throws -> Double {
        let released = ContinuousClock.now
        while ContinuousClock.now - released < .seconds(30) {
            if let connection = try? await sandbox.connect(index) {
                let readOnly = try? await connection.query("SELECT @@global.read_only AS ro").first?.int("ro")
                await connection.close()
                if readOnly == 1 { return (ContinuousClock.now - released).inSeconds }
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw ClientError(message: "the old master was not made read-only within 30 s of coming back")
    }

    /// The first replica with read_only=0 and no replication configured.
    private func waitForWritableReplica(_ watchers: [Int: MySQLConnection], since killed: ContinuousClock.Instant) async throws -> (Int, Double) {
        while ContinuousClock.now - killed < .seconds(30) {
            for (index, connection) in watchers.sorted(by: { $0.key < $1.key }) {
                let readOnly = try await connection.query("SELECT @@global.read_only AS ro").first?.int("ro")
                if readOnly == 0, try await connection.query("SHOW SLAVE STATUS").isEmpty {
                    return (index, (ContinuousClock.now - killed).inSeconds)
                }
            }
            try await Task.sleep(for: .milliseconds(1))
        }
        throw ClientError(message: "no replica became writable within 30 s")
    }

    /// Until every one of `indices` replicates from `port` with both threads running.
    private func waitForReplication(_ watchers: [Int: MySQLConnection], _ indices: [Int], from port: Int, since killed: ContinuousClock.Instant) async throws -> Double {
        var pending = Set(indices)
        while ContinuousClock.now - killed < .seconds(30) {
            for index in pending.sorted() {
                guard let row = try await watchers[index]?.query("SHOW SLAVE STATUS").first else { continue }
                if row.int("Master_Port") == Int64(port), row.string("Slave_IO_Running") == "Yes", row.string("Slave_SQL_Running") == "Yes" {
                    pending.remove(index)
                }
            }
            if pending.isEmpty { return (ContinuousClock.now - killed).inSeconds }
            try await Task.sleep(for: .milliseconds(1))
        }
        throw ClientError(message: "replicas \(pending.sorted()) not replicating from the new master within 30 s")
    }
}
