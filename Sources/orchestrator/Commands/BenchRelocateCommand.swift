import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import MySQLClient
import Sandbox
import Topology

/// Measures refactoring through the API: `relocate-replicas` of an intermediate master's 8
/// replicas below its sibling (GTID), and a single `relocate`, each timed from the request until
/// every moved replica replicates from its new master (both threads running), as its server says.
struct BenchRelocateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-relocate", abstract: "Benchmark relocate and relocate-replicas against a sandbox (used by bench/relocate).", shouldDisplay: false
    )

    @Option(name: .long) var dir = "/tmp/orchestrator-bench-relocate"
    @Option(name: .long) var basePort = 25606
    @Option(name: .long) var httpPort = 25699
    @Option(name: .long) var runs = 10
    @Option(name: .long, help: "Replicas of the intermediate master.") var replicas = 8

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        // 0 master; 1 intermediate master with the replicas; the last one, 1's sibling.
        let sibling = replicas + 2
        let spec = try SandboxTopologySpec(parsing: (["1>0"] + (2..<(2 + replicas)).map { "\($0)>1" } + ["\(sibling)>0"]).joined(separator: ","))
        let sandbox = try await Sandbox.up(directory: dir, basePort: basePort, topology: spec, logger: logger)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let (daemon, running) = try await BenchSupport.startDaemon(
                sandbox: sandbox, dir: dir, httpPort: httpPort, pollSeconds: 1, watch: true, logger: logger
            )
            let key = { (index: Int) in InstanceKey(hostname: "127.0.0.1", port: sandbox.basePort + index) }
            let moving = Array(2..<(2 + replicas))
            var bulk: [(answered: Double, replicating: Double)] = []
            var single: [(answered: Double, replicating: Double)] = []
            for run in 1...runs {
                // Odd runs move the replicas to the sibling, even runs back.
                let (from, to) = run % 2 == 1 ? (1, sibling) : (sibling, 1)
                let many = try await timed(client, "relocate-replicas/127.0.0.1/\(key(from).port)/127.0.0.1/\(key(to).port)", sandbox, moving, key(to).port)
                bulk.append(many)
                // One replica there and back, after the registry caught up with the bulk move.
                try await waitUntilKnown(daemon, moving.map(key), below: key(to))
                let one = try await timed(client, "relocate/127.0.0.1/\(key(2).port)/127.0.0.1/\(key(from).port)", sandbox, [2], key(from).port)
                single.append(one)
                try await waitUntilKnown(daemon, [key(2)], below: key(from))
                _ = try await timed(client, "relocate/127.0.0.1/\(key(2).port)/127.0.0.1/\(key(to).port)", sandbox, [2], key(to).port)
                try await waitUntilKnown(daemon, [key(2)], below: key(to))
                print(String(
                    format: "run %2d: relocate-replicas of %d: answered %.3f s, all replicating %.3f s; relocate: answered %.3f s, replicating %.3f s",
                    run, replicas, many.answered, many.replicating, one.answered, one.replicating
                ))
            }
            running.cancel()
            _ = try? await running.value
            print("\(replicas) replicas of an intermediate master, MariaDB GTID, InstancePollSeconds 1, \(runs) runs")
            print("relocate-replicas, request → all replicating from the new master: " + BenchSupport.summary(bulk.map(\.replicating)))
            print("relocate-replicas, request → API answer:                      " + BenchSupport.summary(bulk.map(\.answered)))
            print("relocate, request → replicating from the new master:          " + BenchSupport.summary(single.map(\.replicating)))
            print("relocate, request → API answer:                               " + BenchSupport.summary(single.map(\.answered)))
        } catch {
            try? await client.shutdown()
            try? await sandbox.down()
            throw error
        }
        try await client.shutdown()
        try await sandbox.down()
    }

    /// Sends the request; returns seconds until the answer, and until every one of `indexes`
    /// replicates from `masterPort` with both threads running (polled on the servers meanwhile).
    private func timed(
        _ client: HTTPClient, _ path: String, _ sandbox: Sandbox, _ indexes: [Int], _ masterPort: Int
    ) async throws -> (answered: Double, replicating: Double) {
        let connections = try await withThrowingTaskGroup(of: MySQLConnection.self) { group in
            for index in indexes { group.addTask { try await sandbox.connect(index) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        defer { for connection in connections { Task { await connection.close() } } }
        let started = ContinuousClock.now
        let request = Task {
            let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(httpPort)/api/\(path)"), timeout: .seconds(60))
            let body = String(buffer: try await response.body.collect(upTo: 16 << 20))
            guard response.status == .ok else { throw ClientError(message: "\(path): HTTP \(response.status.code): \(body)") }
            return (ContinuousClock.now - started).inSeconds
        }
        var pending = connections
        while !pending.isEmpty {
            var still: [MySQLConnection] = []
            for connection in pending {
                let row = try await connection.query("SHOW SLAVE STATUS").first
                let moved = row.map { Int($0.int("Master_Port") ?? 0) == masterPort && $0.string("Slave_IO_Running") == "Yes" && $0.string("Slave_SQL_Running") == "Yes" }
                if moved != true { still.append(connection) }
            }
            pending = still
            guard ContinuousClock.now - started < .seconds(60) else { throw ClientError(message: "\(path): replicas not moved within 60 s") }
            if !pending.isEmpty { try await Task.sleep(for: .milliseconds(2)) }
        }
        let replicating = (ContinuousClock.now - started).inSeconds
        return (try await request.value, replicating)
    }

    /// Waits until the daemon's registry shows every key below `master` (its next probes).
    private func waitUntilKnown(_ daemon: Daemon, _ keys: [InstanceKey], below master: InstanceKey) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            var all = true
            for key in keys where await daemon.discovery.registry.instance(key)?.masterKey != master { all = false }
            if all { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ClientError(message: "the registry did not show \(keys) below \(master)")
    }
}
