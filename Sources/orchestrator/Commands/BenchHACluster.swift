import AsyncHTTPClient
import Foundation
import Sandbox

/// For `bench-leader-failover` and `bench-scale`: an etcd and `nodeCount` (default three)
/// `orchestrator serve` child processes of this very binary on loopback, each with its own
/// directory; stopped by pid.
final class BenchHACluster: @unchecked Sendable {
    let dir: String
    let httpPort: Int
    let leaseTTL: Int
    let etcdHeartbeatMilliseconds: Int
    let nodeCount: Int
    /// Appended to every node's configuration (`, "Key": value`).
    let extraSettings: String
    private var etcd: Process?
    private var nodes: [Process] = []
    private var seeds: [Int] = []

    init(dir: String, httpPort: Int, leaseTTL: Int, etcdHeartbeatMilliseconds: Int, nodeCount: Int = 3, extraSettings: String = "") {
        self.nodeCount = nodeCount
        self.extraSettings = extraSettings
        self.etcdHeartbeatMilliseconds = etcdHeartbeatMilliseconds
        self.dir = dir
        self.httpPort = httpPort
        self.leaseTTL = leaseTTL
    }

    private var etcdPort: Int { httpPort + nodeCount }
    var indexes: [Int] { Array(0..<nodeCount) }
    func pid(_ index: Int) -> pid_t { nodes[index].processIdentifier }
    func api(_ index: Int) -> String { "http://127.0.0.1:\(httpPort + index)/api" }

    func start(seed: Int) async throws {
        try await start(seeds: [seed])
    }

    func start(seeds: [Int]) async throws {
        self.seeds = seeds
        try FileManager.default.createDirectory(atPath: dir + "/etcd", withIntermediateDirectories: true)
        let etcd = Process()
        etcd.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        etcd.arguments = [
            "etcd", "--name", "bench", "--data-dir", dir + "/etcd/data",
            "--listen-client-urls", "http://127.0.0.1:\(etcdPort)", "--advertise-client-urls", "http://127.0.0.1:\(etcdPort)",
            "--listen-peer-urls", "http://127.0.0.1:\(etcdPort + 1)", "--initial-advertise-peer-urls", "http://127.0.0.1:\(etcdPort + 1)",
            "--initial-cluster", "bench=http://127.0.0.1:\(etcdPort + 1)",
            "--heartbeat-interval", "\(etcdHeartbeatMilliseconds)", "--election-timeout", "\(10 * etcdHeartbeatMilliseconds)",
        ]
        etcd.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        FileManager.default.createFile(atPath: dir + "/etcd/etcd.log", contents: nil)
        etcd.standardError = FileHandle(forWritingAtPath: dir + "/etcd/etcd.log")
        try etcd.run()
        self.etcd = etcd
        for index in 0..<nodeCount { nodes.append(try startNode(index)) }
    }

    /// Starts node `index` (again, after a kill: same directory, same store).
    func restart(_ index: Int) throws {
        nodes[index] = try startNode(index)
    }

    private func startNode(_ index: Int) throws -> Process {
        let binary = Bundle.main.executablePath ?? CommandLine.arguments[0]
        let state = dir + "/node\(index)"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let seedList = seeds.map { "\"127.0.0.1:\($0)\"" }.joined(separator: ", ")
        let config = """
        {"ListenAddress": "127.0.0.1:\(httpPort + index)", "SQLite3DataFile": "\(state)/orchestrator.sqlite3",
         "MySQLTopologyUser": "\(Sandbox.topologyCredentials.user)", "MySQLTopologyPassword": "\(Sandbox.topologyCredentials.password.revealed)",
         "InstancePollSeconds": 1, "RecoverMasterClusterFilters": ["*"], "DiscoverySeeds": [\(seedList)],
         "EtcdEndpoints": ["http://127.0.0.1:\(etcdPort)"], "EtcdLeaseTTLSeconds": \(leaseTTL)\(extraSettings)}
        """
        try Data(config.utf8).write(to: URL(fileURLWithPath: state + "/orchestrator.conf.json"))
        let node = Process()
        node.executableURL = URL(fileURLWithPath: binary)
        node.arguments = ["serve", "--config", state + "/orchestrator.conf.json"]
        node.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        if !FileManager.default.fileExists(atPath: state + "/orchestrator.log") { FileManager.default.createFile(atPath: state + "/orchestrator.log", contents: nil) }
        let log = FileHandle(forWritingAtPath: state + "/orchestrator.log")
        log?.seekToEndOfFile()
        node.standardError = log
        try node.run()
        return node
    }

    func kill(_ index: Int) {
        Foundation.kill(nodes[index].processIdentifier, SIGKILL)
    }

    /// Waits until exactly one of `indexes` answers `leader-check` with 200; returns it.
    func awaitLeader(client: HTTPClient, among indexes: [Int], within limit: Duration) async throws -> Int {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            var leaders: [Int] = []
            for index in indexes where await status(client: client, api(index) + "/leader-check") == 200 { leaders.append(index) }
            if leaders.count == 1 { return leaders[0] }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ClientError(message: "no single leader among nodes \(indexes) within \(limit)")
    }

    /// Waits until every node lists `instances` instances.
    func awaitDiscovered(client: HTTPClient, instances: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        for index in 0..<nodeCount {
            while try await count(client: client, api(index) + "/all-instances") < instances {
                guard ContinuousClock.now < deadline else { throw ClientError(message: "node \(index) did not discover the sandbox") }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    /// How many distinct recoveries the nodes `indexes` show: followers take in the recoveries
    /// the leader ran, so one recovery appears on every node (counted once, by its UID).
    func recoveryCount(client: HTTPClient, among indexes: [Int]) async throws -> Int {
        var uids: Set<String> = []
        for index in indexes {
            let data = try await get(client: client, api(index) + "/audit-recovery")
            let records = ((try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]]) ?? []
            uids.formUnion(records.compactMap { $0["UID"] as? String })
        }
        return uids.count
    }

    func stop() async {
        for process in nodes + [etcd].compactMap({ $0 }) where process.isRunning {
            Foundation.kill(process.processIdentifier, SIGTERM)
        }
        for process in nodes + [etcd].compactMap({ $0 }) {
            let deadline = ContinuousClock.now + .seconds(30)
            while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
            if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        }
        nodes = []
        etcd = nil
    }

    /// The body `url` answers with.
    func get(client: HTTPClient, _ url: String, timeout: Duration = .seconds(5)) async throws -> Data {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .milliseconds(Int64(timeout.components.seconds * 1000)))
        var body = try await response.body.collect(upTo: 256 << 20)
        return Data(body.readBytes(length: body.readableBytes) ?? [])
    }

    private func status(client: HTTPClient, _ url: String) async -> Int {
        guard let response = try? await client.execute(HTTPClientRequest(url: url), timeout: .milliseconds(500)) else { return 0 }
        _ = try? await response.body.collect(upTo: 1 << 16)
        return Int(response.status.code)
    }

    private func count(client: HTTPClient, _ url: String) async throws -> Int {
        let data = try await get(client: client, url)
        return ((try? JSONSerialization.jsonObject(with: data)) as? [Any])?.count ?? 0
    }
}
