import Foundation
import OrchestratorTesting
import Sandbox
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Three `orchestrator serve` processes on loopback coordinated through one etcd, each with its
/// own store, all seeded with the sandbox's master. Stopped by pid.
final class HANodes: @unchecked Sendable {
    let ports: [Int]
    let states: [String]
    private(set) var processes: [Process]

    var apis: [String] { ports.map { "http://127.0.0.1:\($0)/api" } }

    /// `extraSettings` goes into every node's configuration file; `seeds`: the sandbox ports
    /// every node discovers from (one per cluster).
    convenience init(count: Int = 3, etcd: LocalServer, seed: Int, extraSettings: String = "") throws {
        try self.init(count: count, etcd: etcd, seeds: [seed], extraSettings: extraSettings)
    }

    init(count: Int = 3, etcd: LocalServer, seeds: [Int], extraSettings: String = "") throws {
        let seedList = seeds.map { "\"127.0.0.1:\($0)\"" }.joined(separator: ", ")
        let base = try SandboxPorts.allocate(count: count)
        ports = (0..<count).map { base + $0 }
        states = ports.map { NSTemporaryDirectory() + "ha-node-\($0)" }
        processes = []
        for (port, state) in zip(ports, states) {
            try? FileManager.default.removeItem(atPath: state)
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
            processes.append(try CommandLineTests.startServe(
                state: state, httpPort: port,
                extraSettings: #", "InstancePollSeconds": 1, "RecoverMasterClusterFilters": ["*"], "DiscoverySeeds": [\#(seedList)], "#
                    + #""EtcdEndpoints": ["http://127.0.0.1:\#(etcd.port)"]\#(extraSettings)"#,
                logTo: state + "/orchestrator.log"
            ))
        }
    }

    /// Runs `body` with the nodes started, and always stops them; on a failure, prints each
    /// node's log tail.
    static func with<T>(etcd: LocalServer, seed: Int, extraSettings: String = "", _ body: (HANodes) async throws -> T) async throws -> T {
        try await with(etcd: etcd, seeds: [seed], extraSettings: extraSettings, body)
    }

    static func with<T>(count: Int = 3, etcd: LocalServer, seeds: [Int], extraSettings: String = "", _ body: (HANodes) async throws -> T) async throws -> T {
        let nodes = try HANodes(count: count, etcd: etcd, seeds: seeds, extraSettings: extraSettings)
        do {
            let result = try await body(nodes)
            await nodes.stop()
            return result
        } catch {
            for index in nodes.ports.indices { print("node \(index) (\(nodes.apis[index])):\n\(nodes.logTail(index))") }
            await nodes.stop()
            throw error
        }
    }

    /// SIGTERM to every node still running, SIGKILL after 30 s; removes their directories.
    func stop() async {
        for process in processes where process.isRunning {
            kill(process.processIdentifier, SIGCONT)
            kill(process.processIdentifier, SIGTERM)
        }
        for process in processes { _ = await CommandLineTests.exits(process, within: .seconds(30)) }
        for state in states { try? FileManager.default.removeItem(atPath: state) }
    }

    /// The indexes of the nodes answering `leader-check` with 200 (a paused node does not answer).
    func leaders(among indexes: [Int]? = nil) async -> [Int] {
        var found: [Int] = []
        for index in indexes ?? Array(ports.indices) where await HTTPGet.status(apis[index] + "/leader-check") == 200 { found.append(index) }
        return found
    }

    /// Waits until exactly one of `indexes` leads; returns it.
    func awaitLeader(among indexes: [Int]? = nil, timeout: Duration = .seconds(60)) async throws -> Int? {
        var leader: Int?
        _ = try await expectEventually(timeout: timeout) {
            let found = await leaders(among: indexes)
            leader = found.count == 1 ? found[0] : nil
            return leader != nil
        }
        return leader
    }

    /// `audit-recovery` of node `index`.
    func recoveries(_ index: Int) async throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: try await HTTPGet.data(apis[index] + "/audit-recovery")) as? [[String: Any]] ?? []
    }

    /// `audit` of node `index`: each entry's type and message.
    func audit(_ index: Int) async throws -> [(type: String, message: String)] {
        let entries = try JSONSerialization.jsonObject(with: try await HTTPGet.data(apis[index] + "/audit")) as? [[String: Any]] ?? []
        return entries.map { ($0["AuditType"] as? String ?? "", $0["Message"] as? String ?? "") }
    }

    /// The tail of node `index`'s log, for failure messages.
    func logTail(_ index: Int, lines: Int = 30) -> String {
        let text = (try? String(contentsOfFile: states[index] + "/orchestrator.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}

extension HTTPGet {
    /// The status `url` answers with; 0 when it does not answer within `timeout`.
    static func status(_ url: String, timeout: TimeInterval = 2) async -> Int {
        guard let address = URL(string: url) else { return 0 }
        var request = URLRequest(url: address)
        request.timeoutInterval = timeout
        let answer = try? await URLSession.shared.data(for: request)
        return (answer?.1 as? HTTPURLResponse)?.statusCode ?? 0
    }
}
