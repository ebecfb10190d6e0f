import Foundation
import OrchestratorTesting
import Sandbox
import Secrets
import Testing

/// The executable end to end: `serve` against a sandbox, driven by the client commands.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct CommandLineTests {
    static let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/orchestrator").path

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Starts `orchestrator serve` with its store in `state`, the API on `httpPort`, the sandbox
    /// credentials, and `extraSettings` (more JSON members, comma-first) in its configuration.
    /// `logTo`: a file that receives the service's log (standard error); else discarded.
    static func startServe(state: String, httpPort: Int, extraSettings: String = "", arguments: [String] = [], logTo: String? = nil) throws -> Process {
        let config = """
        {"ListenAddress": "127.0.0.1:\(httpPort)", "SQLite3DataFile": "\(state)/orchestrator.sqlite3",
         "MySQLTopologyUser": "\(Sandbox.topologyCredentials.user)", "MySQLTopologyPassword": "\(Sandbox.topologyCredentials.password.revealed)"\(extraSettings)}
        """
        try Data(config.utf8).write(to: URL(fileURLWithPath: state + "/orchestrator.conf.json"))
        let server = Process()
        server.executableURL = URL(fileURLWithPath: binary)
        server.arguments = ["serve", "--config", state + "/orchestrator.conf.json"] + arguments
        server.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        if let logTo {
            FileManager.default.createFile(atPath: logTo, contents: nil)
            server.standardError = FileHandle(forWritingAtPath: logTo)
        } else {
            server.standardError = FileHandle(forWritingAtPath: "/dev/null")
        }
        try server.run()
        return server
    }

    /// Whether `process` ends within `limit`; killed with SIGKILL when it does not (so a test
    /// fails instead of hanging).
    static func exits(_ process: Process, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while process.isRunning, ContinuousClock.now < deadline {
            do { try await Task.sleep(for: .milliseconds(50)) } catch { break }
        }
        guard process.isRunning else { return true }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return false
    }

    @Test func serveDiscoverAndPrintTheTree() async throws {
        try await withSandbox(topology: "1>0,2>1") { sandbox in
            let ports = sandbox.instances.map(\.port)
            let httpPort = try SandboxPorts.allocate(count: 1)
            let api = "http://127.0.0.1:\(httpPort)/api"
            let state = NSTemporaryDirectory() + "cli-test-\(httpPort)"
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: state) }
            let log = state + "/serve.log"
            let server = try Self.startServe(state: state, httpPort: httpPort, arguments: ["--log-format", "json"], logTo: log)
            defer {
                if server.isRunning { kill(server.processIdentifier, SIGKILL) }
            }
            try #require(try await expectEventually(timeout: .seconds(60)) { try Self.run(["clusters", "--api", api]).status == 0 }, "serve answers")

            let discovered = try Self.run(["discover", "-i", "127.0.0.1:\(ports[2])", "--api", api])
            #expect(discovered.status == 0, "\(discovered.stderr)")
            #expect(discovered.stdout == "127.0.0.1:\(ports[2])\n")

            let expected = """
            127.0.0.1:\(ports[0])
            + 127.0.0.1:\(ports[1])
              + 127.0.0.1:\(ports[2])
            """
            let treeShown = try await expectEventually(timeout: .seconds(30)) {
                let tree = try Self.run(["topology", "-i", "127.0.0.1:\(ports[2])", "--api", api])
                let keys = tree.stdout.split(separator: "\n").map { $0.split(separator: " [").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
                return tree.status == 0 && keys.joined(separator: "\n") == expected.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
                    && tree.stdout.contains(",ok,")
            }
            try #require(treeShown)
            let clusters = try Self.run(["clusters", "--api", api])
            #expect(clusters.stdout == "127.0.0.1:\(ports[0])\n")

            let bad = try Self.run(["instance", "-i", "127.0.0.1:33o6", "--api", api])
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("invalid port '33o6'"), "\(bad.stderr)")
            let unknown = try Self.run(["instance", "-i", "127.0.0.1:1", "--api", api])
            #expect(unknown.status == 1)
            #expect(unknown.stderr.contains("Cannot read instance: 127.0.0.1:1"), "\(unknown.stderr)")

            try await shadowModeOnASnapshotSavedFromTheServer(api: api, ports: ports, state: state)

            var metrics = ""
            let counted = try await expectEventually(timeout: .seconds(10)) {
                metrics = String(decoding: try await HTTPGet.data("http://127.0.0.1:\(httpPort)/metrics"), as: UTF8.self)
                return PrometheusText.value(in: metrics, "orchestrator_discovery_instances_known") == 3
            }
            #expect(counted, "\(metrics)")
            #expect((PrometheusText.value(in: metrics, "orchestrator_discovery_probes_total", ["result": "ok"]) ?? 0) > 0, "\(metrics)")
            #expect((PrometheusText.value(in: metrics, "orchestrator_http_requests_total", ["route": "/api/clusters", "status": "200"]) ?? 0) > 0, "\(metrics)")

            let dump = try Self.run(["config", "dump", "--config", state + "/orchestrator.conf.json"])
            #expect(dump.status == 0 && dump.stdout.contains("\"MySQLTopologyPassword\" : \"<redacted>\""), "\(dump.stdout)\(dump.stderr)")
            #expect(!dump.stdout.contains(Sandbox.topologyCredentials.password.revealed))

            kill(server.processIdentifier, SIGTERM)
            #expect(await Self.exits(server, within: .seconds(30)), "the service stops on SIGTERM")
            #expect(server.terminationReason == .exit)
            try Self.expectJSONLines(log, discovered: "127.0.0.1:\(ports[2])")
        }
    }

    /// `--log-format json`: every line of the service's log is one JSON object, the discovery of
    /// an instance is one line with its instance and cluster, and no line shows the password.
    static func expectJSONLines(_ path: String, discovered key: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(!lines.isEmpty)
        var discoveries = 0
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            #expect(object["timestamp"] is String && object["level"] is String && object["label"] is String && object["message"] is String, "\(line)")
            let metadata = try #require(object["metadata"] as? [String: Any], "\(line)")
            if object["message"] as? String == "discovered instance", metadata["instance"] as? String == key {
                #expect(object["label"] as? String == "orchestrator.discovery")
                #expect(metadata["cluster"] is String)
                discoveries += 1
            }
        }
        #expect(discoveries == 1, "\(text)")
        #expect(!text.contains(Sandbox.topologyCredentials.password.revealed))
    }

    /// `replication-analysis` and `problems` are quiet on a healthy topology; the cluster JSON
    /// saved from the API analyses to nothing, and to DeadMaster once the master is marked
    /// unreachable and its replica failing to reconnect.
    func shadowModeOnASnapshotSavedFromTheServer(api: String, ports: [Int], state: String) async throws {
        let healthy = try await expectEventually(timeout: .seconds(30)) {
            let analysis = try Self.run(["replication-analysis", "--api", api])
            let problems = try Self.run(["problems", "--api", api])
            return analysis.status == 0 && analysis.stdout.isEmpty && problems.status == 0 && problems.stdout.isEmpty
        }
        try #require(healthy)
        let saved = try await HTTPGet.data("\(api)/cluster/127.0.0.1:\(ports[0])")
        let snapshot = state + "/main.json"
        try saved.write(to: URL(fileURLWithPath: snapshot))
        let quiet = try Self.run(["analyze", "--snapshot", snapshot])
        #expect(quiet.status == 0 && quiet.stdout.isEmpty, "\(quiet.stdout)\(quiet.stderr)")

        var instances = try #require(try JSONSerialization.jsonObject(with: saved) as? [[String: Any]])
        for index in instances.indices {
            let port = (instances[index]["Key"] as? [String: Any])?["Port"] as? Int
            if port == ports[0] { instances[index]["IsLastCheckValid"] = false }
            if port == ports[1] {
                // What a replica shows once its master is gone: the IO thread not running (the
                // boolean orchestrator's analysis reads) but retrying (the derived state).
                instances[index]["Slave_IO_Running"] = false
                instances[index]["ReplicationIOThreadRuning"] = false
                instances[index]["ReplicationIOThreadState"] = 2
                instances[index]["LastIOError"] = "error reconnecting to master 'repl@127.0.0.1:\(ports[0])' - retry-time: 1  message: Can't connect"
            }
        }
        let broken = state + "/broken.json"
        try JSONSerialization.data(withJSONObject: instances).write(to: URL(fileURLWithPath: broken))
        let dead = try Self.run(["analyze", "--snapshot", broken])
        #expect(dead.status == 0)
        let cluster = "127.0.0.1:\(ports[0])"
        #expect(dead.stdout == "\(cluster) (cluster \(cluster)): DeadMaster\n127.0.0.1:\(ports[1]) (cluster \(cluster)): FirstTierReplicaFailingToConnectToMaster\n")
        let json = try Self.run(["analyze", "--snapshot", broken, "--json"])
        let envelope = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let first = (envelope?["Details"] as? [[String: Any]])?.first
        #expect(first?["Analysis"] as? String == "DeadMaster")
        #expect(first?["CountReplicasFailingToConnectToMaster"] as? Int == 1)
    }

    @Test func brokenConfigStopsStartUpNamingTheKey() throws {
        let path = NSTemporaryDirectory() + "broken-\(UUID().uuidString).json"
        try Data("{\"InstancePollSeconds\": \"often\"}".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try Self.run(["serve", "--config", path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("InstancePollSeconds"), "\(result.stderr)")
    }
}
