import Foundation
import OrchestratorTesting
import Sandbox
import Testing

/// The daemon killed with -9 in the middle of a recovery: the one restarted on the same store
/// finds the record, says how far it got, and does not recover the same failure a second time.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct InterruptedRecoveryTests {
    @Test func aDaemonKilledMidRecoveryDoesNotRecoverTwiceAfterARestart() async throws {
        try await withSandbox(topology: "1>0,2>0") { sandbox in
            let ports = sandbox.instances.map(\.port)
            let httpPort = try SandboxPorts.allocate(count: 1)
            let api = "http://127.0.0.1:\(httpPort)/api"
            let state = NSTemporaryDirectory() + "interrupted-recovery-\(httpPort)"
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: state) }

            // The first daemon's pre-failover hook holds the recovery long enough to kill it there;
            // the second daemon has none, so a second recovery would go through at once.
            let first = try startDaemon(state: state, httpPort: httpPort, preFailover: ["sleep 60"])
            defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
            try #require(try await expectEventually { try CommandLineTests.run(["clusters", "--api", api]).status == 0 })
            #expect(try CommandLineTests.run(["discover", "-i", "127.0.0.1:\(ports[0])", "--api", api]).status == 0)
            let crawled = try await expectEventually(timeout: .seconds(30)) {
                try CommandLineTests.run(["topology", "-i", "127.0.0.1:\(ports[0])", "--api", api]).stdout.split(separator: "\n").count == 3
            }
            try #require(crawled, "the daemon discovered 1>0,2>0")

            try sandbox.kill(0)
            let inHook = try await expectEventually(timeout: .seconds(30)) {
                (try? await recoveries(api).first?["LastStep"] as? String)?.contains("running PreFailoverProcesses") == true
            }
            let seen = (try? await recoveries(api)) ?? []
            try #require(inHook, "the recovery reached its pre-failover hook: \(seen)")
            kill(first.processIdentifier, SIGKILL)
            _ = await CommandLineTests.exits(first, within: .seconds(30))

            let second = try startDaemon(state: state, httpPort: httpPort, preFailover: [])
            defer { if second.isRunning { kill(second.processIdentifier, SIGKILL) } }
            // The restarted daemon sees the dead master again, and is blocked by the record.
            let blocked = try await expectEventually(timeout: .seconds(30)) {
                let data = (try? await HTTPGet.data(api + "/blocked-recoveries")) ?? Data()
                let entries = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] ?? []
                return entries.contains { ($0["Analysis"] as? String) == "DeadMaster" }
            }
            try #require(blocked, "the second daemon detected the failure and recorded it as blocked")

            let records = try await recoveries(api)
            #expect(records.count == 1, "one recovery, not two: \(records)")
            let record = try #require(records.first)
            #expect(record["IsSuccessful"] as? Bool == false)
            #expect(record["IsActive"] as? Bool == true, "it stays in its active period, blocking until acknowledged")
            let errors = (record["AllErrors"] as? [String] ?? []).joined(separator: "\n")
            #expect(errors.contains("interrupted") && errors.contains("during: running PreFailoverProcesses"), "\(errors)")
            for index in [1, 2] {
                let connection = try await sandbox.connect(index)
                let masterPort = try await connection.query("SHOW SLAVE STATUS").first?.int("Master_Port")
                await connection.close()
                #expect(masterPort.map(Int.init) == ports[0], "instance \(index) was not moved by a second recovery")
            }
            kill(second.processIdentifier, SIGTERM)
            #expect(await CommandLineTests.exits(second, within: .seconds(30)), "the service stops on SIGTERM")
        }
    }

    private func startDaemon(state: String, httpPort: Int, preFailover: [String]) throws -> Process {
        let hooks = preFailover.map { "\"\($0)\"" }.joined(separator: ", ")
        return try CommandLineTests.startServe(
            state: state, httpPort: httpPort,
            extraSettings: #", "InstancePollSeconds": 1, "RecoverMasterClusterFilters": ["*"], "PreFailoverProcesses": [\#(hooks)]"#
        )
    }

    private func recoveries(_ api: String) async throws -> [[String: Any]] {
        let data = try await HTTPGet.data(api + "/audit-recovery")
        return (try JSONSerialization.jsonObject(with: data)) as? [[String: Any]] ?? []
    }
}
