import Foundation
import OrchestratorTesting
import Sandbox
import Testing

/// Refactoring through the executable, as an operator types it against `serve`: a move prints
/// `moved<newmaster`, a refused one exits non-zero with every reason, and the tree shows the move.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct RefactoringCommandLineTests {
    @Test func relocateThroughTheCommandLine() async throws {
        try await withSandbox(topology: "1>0,2>0,3>2,4>2") { sandbox in
            let ports = sandbox.instances.map(\.port)
            let httpPort = try SandboxPorts.allocate(count: 1)
            let api = "http://127.0.0.1:\(httpPort)/api"
            let state = NSTemporaryDirectory() + "cli-refactoring-\(httpPort)"
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: state) }
            let server = try CommandLineTests.startServe(state: state, httpPort: httpPort)
            defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
            try #require(try await expectEventually(timeout: .seconds(60)) { try CommandLineTests.run(["clusters", "--api", api]).status == 0 }, "serve answers")
            #expect(try CommandLineTests.run(["discover", "-i", "127.0.0.1:\(ports[0])", "--api", api]).status == 0)
            let crawled = try await expectEventually {
                try CommandLineTests.run(["topology", "-i", "127.0.0.1:\(ports[0])", "--api", api]).stdout.split(separator: "\n").count == 5
            }
            try #require(crawled, "serve discovered 1>0,2>0,3>2,4>2")
            func instance(_ index: Int) -> String { "127.0.0.1:\(ports[index])" }

            let moved = try CommandLineTests.run(["relocate-replicas", "-i", instance(2), "-d", instance(1), "--api", api])
            #expect(moved.status == 0, "\(moved.stderr)")
            #expect(moved.stdout == "\(instance(3))\n\(instance(4))\n")
            let tree = try CommandLineTests.run(["topology", "-i", instance(0), "--api", api]).stdout
            let shape = tree.split(separator: "\n").map { ($0.split(separator: " [").first.map(String.init) ?? "").replacingOccurrences(of: " +$", with: "", options: .regularExpression) }
            #expect(shape == [instance(0), "+ \(instance(1))", "  + \(instance(3))", "  + \(instance(4))", "+ \(instance(2))"], "\(tree)")

            let refused = try CommandLineTests.run(["relocate", "-i", instance(1), "-d", instance(3), "--api", api])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("cannot move \(instance(1)) below \(instance(3)): \(instance(3)) is a descendant of \(instance(1))"), "\(refused.stderr)")

            let up = try CommandLineTests.run(["move-up", "-i", instance(3), "--api", api])
            #expect(up.status == 0 && up.stdout == "\(instance(3))<\(instance(0))\n", "\(up.stdout)\(up.stderr)")
            let malformed = try CommandLineTests.run(["move-up", "-i", "127.0.0.1:x", "--api", api])
            #expect(malformed.status == 1 && malformed.stderr.contains("invalid port"), "\(malformed.stderr)")
            let unknown = try CommandLineTests.run(["move-up", "-i", "127.0.0.1:1", "--api", api])
            #expect(unknown.status == 1 && unknown.stderr.contains("Cannot read instance: 127.0.0.1:1"), "\(unknown.stderr)")

            let stopped = try CommandLineTests.run(["replication", "stop-replica", "-i", instance(4), "--api", api])
            #expect(stopped.status == 0 && stopped.stdout == "\(instance(4))\n", "\(stopped.stderr)")
            let started = try CommandLineTests.run(["replication", "start-replica", "-i", instance(4), "--api", api])
            #expect(started.status == 0, "\(started.stderr)")

            try await Self.fleetCommands(api: api, instance: instance)

            kill(server.processIdentifier, SIGTERM)
            #expect(await CommandLineTests.exits(server, within: .seconds(30)), "the service stops on SIGTERM")
        }
    }

    /// Downtime, pools, hostname unresolve and snapshots, in our form and in orchestrator's `-c` form.
    static func fleetCommands(api: String, instance: (Int) -> String) async throws {
        let begun = try CommandLineTests.run(["-c", "begin-downtime", "-i", instance(4), "-owner", "ops", "-reason", "disk swap", "-duration", "5m", "-api", api])
        #expect(begun.status == 0 && begun.stdout == "\(instance(4))\n", "\(begun.stdout)\(begun.stderr)")
        let shown = try CommandLineTests.run(["instance", "-i", instance(4), "--api", api]).stdout.filter { !$0.isWhitespace }
        #expect(shown.contains("\"IsDowntimed\":true") && shown.contains("\"DowntimeOwner\":\"ops\""), "\(shown)")
        let badDuration = try CommandLineTests.run(["begin-downtime", "-i", instance(3), "--reason", "x", "--duration", "soon", "--api", api])
        #expect(badDuration.status == 1 && badDuration.stderr.contains("soon"), "\(badDuration.stderr)")
        // instance(4) is the only replica of instance(1): stopped, it is a problem of instance(1)
        // that the command line hides while every replica is downtimed (analysis.md §7).
        #expect(try CommandLineTests.run(["replication", "stop-replica", "-i", instance(4), "--api", api]).status == 0)
        let problem = "\(instance(1)) (cluster \(instance(0))): AllIntermediateMasterReplicasNotReplicating"
        let seen = try await expectEventually {
            try CommandLineTests.run(["replication-analysis", "--include-downtimed", "--api", api]).stdout.contains(problem)
        }
        #expect(seen, "the API reports \(problem)")
        let hidden = try CommandLineTests.run(["replication-analysis", "--api", api])
        #expect(hidden.status == 0 && !hidden.stdout.contains(instance(1)), "\(hidden.stdout)")
        #expect(try CommandLineTests.run(["replication", "start-replica", "-i", instance(4), "--api", api]).status == 0)
        let ended = try CommandLineTests.run(["end-downtime", "-i", instance(4), "--api", api])
        #expect(ended.status == 0 && ended.stdout == "\(instance(4))\n", "\(ended.stderr)")

        let pooled = try CommandLineTests.run(["submit-pool-instances", "-i", "\(instance(3)),\(instance(4))", "--pool", "web", "--api", api])
        #expect(pooled.status == 0 && pooled.stdout == "web\n", "\(pooled.stderr)")
        let serving = try CommandLineTests.run(["-c", "which-heuristic-cluster-pool-instances", "-i", instance(0), "-pool", "web", "-api", api])
        #expect(serving.status == 0 && serving.stdout == "\(instance(3))\n\(instance(4))\n", "\(serving.stdout)\(serving.stderr)")
        let badPool = try CommandLineTests.run(["submit-pool-instances", "-i", "127.0.0.1:x", "--pool", "web", "--api", api])
        #expect(badPool.status == 1 && badPool.stderr.contains("127.0.0.1:x"), "\(badPool.stderr)")

        let snapshot = try CommandLineTests.run(["snapshot-topologies", "--api", api])
        #expect(snapshot.status == 0 && snapshot.stdout.hasPrefix("Took "), "\(snapshot.stdout)\(snapshot.stderr)")
        let registered = try CommandLineTests.run(["register-hostname-unresolve", "-i", instance(1), "--hostname", "vip-1.example", "--api", api])
        #expect(registered.status == 0, "\(registered.stderr)")
        let deregistered = try CommandLineTests.run(["deregister-hostname-unresolve", "-i", instance(1), "--api", api])
        #expect(deregistered.status == 0 && deregistered.stdout == "\(instance(1))\n", "\(deregistered.stderr)")
        let again = try CommandLineTests.run(["deregister-hostname-unresolve", "-i", instance(1), "--api", api])
        #expect(again.status == 1 && again.stderr.contains("No unresolved hostname registered"), "\(again.stderr)")
    }
}
