import Foundation
import Logging
import MySQLClient
import OrchestratorTesting
import Sandbox
import Testing

/// `down` and crash leftovers: the sandbox stops exactly its own servers and leaves nothing.
@Suite(.timeLimit(.minutes(15)))
struct SandboxCleanupTests {
    let spec: SandboxTopologySpec
    let logger = Logger(label: "orchestrator.test.sandbox")

    init() throws { spec = try SandboxTopologySpec(parsing: "1>0") }

    @Test func downStopsEveryServerAndRemovesTheDirectory() async throws {
        try await SandboxSlots.withSlot {
            let ports = try SandboxPorts.reserve(count: 2)
            defer { ports.release() }
            let directory = "/tmp/orchestrator-sandbox-down-\(getpid())-\(ports.basePort)"
            let sandbox = try await Sandbox.up(directory: directory, basePort: ports.basePort, topology: spec, logger: logger)
            let pids = sandbox.instances.compactMap { sandbox.pid(of: $0.index) }
            #expect(pids.count == 2 && !pids.contains(where: SandboxProbe.isGone))

            // As `orchestrator sandbox down --dir` does it: from the state file.
            try await Sandbox.load(directory: directory).down()
            #expect(!FileManager.default.fileExists(atPath: directory))
            #expect(pids.allSatisfy(SandboxProbe.isGone))
            #expect(throws: SandboxError.self) { try Sandbox.load(directory: directory) }
            let refused = await #expect(throws: MySQLError.self) {
                try await MySQLConnection.connect(to: sandbox.instances[0].endpoint, credentials: Sandbox.topologyCredentials)
            }
            #expect(refused.map { [2002, 2003].contains($0.code) } == true, "\(String(describing: refused))")
            try await sandbox.down()  // idempotent
        }
    }

    /// A crashed run leaves its directory, with its servers killed (-9) or still running;
    /// `up` on the same directory and ports stops what belongs to it and starts afresh.
    @Test(arguments: [true, false])
    func upReplacesALeftoverDirectory(serversWereKilled: Bool) async throws {
        try await SandboxSlots.withSlot {
            let ports = try SandboxPorts.reserve(count: 2)
            defer { ports.release() }
            let directory = "/tmp/orchestrator-sandbox-crash-\(getpid())-\(ports.basePort)"
            let first = try await Sandbox.up(directory: directory, basePort: ports.basePort, topology: spec, logger: logger)
            let master = try await first.connect(0)
            try await master.execute("CREATE DATABASE from_the_crashed_run")
            await master.close()
            let oldPids = first.instances.compactMap { first.pid(of: $0.index) }
            if serversWereKilled {
                for pid in oldPids { kill(pid, SIGKILL) }
                try #require(try await expectEventually { oldPids.allSatisfy(SandboxProbe.isGone) })
            }

            let second: Sandbox
            do {
                second = try await Sandbox.up(directory: directory, basePort: ports.basePort, topology: spec, logger: logger)
            } catch {
                try? await first.down()
                throw error
            }
            let newPids = second.instances.compactMap { second.pid(of: $0.index) }
            let result = await Result(catching: {
                #expect(oldPids.allSatisfy(SandboxProbe.isGone))
                #expect(newPids.count == 2 && Set(newPids).isDisjoint(with: oldPids))
                #expect(await SandboxProbe.isReplicating(second, 1))
                let databases = try await SandboxProbe.value("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'from_the_crashed_run'", on: second, 0)
                #expect(databases == "0", "the new sandbox starts from a fresh datadir")
            })
            try await second.down()
            #expect(newPids.allSatisfy(SandboxProbe.isGone) && !FileManager.default.fileExists(atPath: directory))
            try result.get()
        }
    }

    @Test func upFailsClearlyWhenAPortIsTakenAndLeavesNothing() async throws {
        try await SandboxSlots.withSlot {
            let ports = try SandboxPorts.reserve(count: 2)
            defer { ports.release() }
            let blocker = try PortBlocker(port: ports.basePort + 1)
            defer { blocker.close() }
            let directory = "/tmp/orchestrator-sandbox-taken-\(getpid())-\(ports.basePort)"
            let error = await #expect(throws: SandboxError.self) {
                try await Sandbox.up(directory: directory, basePort: ports.basePort, topology: spec, logger: logger)
            }
            #expect(error?.description.contains("sandbox instance 1 did not start") == true, "\(String(describing: error))")
            #expect(error?.description.contains("Address already in use") == true, "\(String(describing: error))")
            #expect(!FileManager.default.fileExists(atPath: directory))
            let refused = await #expect(throws: MySQLError.self) {
                try await MySQLConnection.connect(to: MySQLEndpoint(host: "127.0.0.1", port: ports.basePort), credentials: Sandbox.topologyCredentials)
            }
            #expect(refused.map { [2002, 2003].contains($0.code) } == true, "instance 0 was stopped too")
        }
    }
}

/// Holds a port by listening on it.
struct PortBlocker {
    let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let bound = withLoopbackAddress(port: port) { bind(descriptor, $0, $1) }
        guard bound == 0, listen(descriptor, 1) == 0 else { throw POSIXError(.EADDRINUSE) }
    }

    func close() { _ = Glibc.close(descriptor) }
}
