import Foundation
import Logging
import MySQLClient
import OrchestratorTesting
import Sandbox
import Testing

@Suite struct SandboxSpecTests {
    @Test func parsesTopologies() throws {
        let spec = try SandboxTopologySpec(parsing: "1>0,2>0,3>2")
        #expect(spec.instanceCount == 4)
        #expect(spec.master(of: 0) == nil)
        #expect(spec.master(of: 3) == 2)
        #expect(try SandboxTopologySpec(parsing: "0").instanceCount == 1)
    }

    @Test(arguments: [("1>1", "1>1"), ("1>0,1>2,2>0", "1>2"), ("a>0", "a>0"), ("2>0", "1"), ("1>2,2>1", "1>2"), ("1>0>3", "1>0>3")])
    func rejectsBadSpecs(text: String, token: String) {
        do {
            _ = try SandboxTopologySpec(parsing: text)
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.description.contains("'\(token)'"), "\(error)")
        }
    }
}

@Suite(.serialized, .timeLimit(.minutes(4)))
struct SandboxLifecycleTests {
    @Test func replicaReplicatesAndSurvivesAKill() async throws {
        try await withSandbox(topology: "1>0") { sandbox in
            let replica = try await sandbox.connect(1)
            let status = try #require(try await replica.query("SHOW SLAVE STATUS").first)
            #expect(status.string("Slave_IO_Running") == "Yes" && status.string("Slave_SQL_Running") == "Yes")
            #expect(status.string("Using_Gtid") == "Slave_Pos")
            #expect(try await replica.query("SELECT @@global.read_only AS ro").first?.bool("ro") == true)
            await replica.close()

            let master = try await sandbox.connect(0)
            _ = try await master.execute("CREATE DATABASE d")
            let position = try #require(try await master.query("SELECT @@global.gtid_binlog_pos AS p").first?.string("p"))
            await master.close()
            #expect(try await expectEventually { try await Self.slavePos(sandbox, 1) == position })

            let pid = try #require(sandbox.pid(of: 1))
            try sandbox.kill(1)
            #expect(try await expectEventually { kill(pid, 0) != 0 || Self.isZombie(pid) })
            try await sandbox.start(1)
            #expect(sandbox.pid(of: 1) != pid)
            #expect(try await expectEventually(timeout: .seconds(15)) { try await Self.isReplicating(sandbox, 1) })
        }
    }

    @Test func downStopsEveryPidAndRemovesTheDirectory() async throws {
        let port = try SandboxPorts.allocate(count: 2)
        let directory = NSTemporaryDirectory() + "sandbox-down-\(port)"
        let sandbox = try await Sandbox.up(directory: directory, basePort: port, topology: try SandboxTopologySpec(parsing: "1>0"), logger: Logger(label: "t"))
        let pids = sandbox.instances.compactMap { sandbox.pid(of: $0.index) }
        #expect(pids.count == 2)
        // Another process can find it by its state file.
        let loaded = try Sandbox.load(directory: directory)
        #expect(loaded.instances.map(\.port) == [port, port + 1])
        try await loaded.down()
        #expect(!FileManager.default.fileExists(atPath: directory))
        #expect(pids.allSatisfy { kill($0, 0) != 0 || Self.isZombie($0) })
    }

    @Test func leftoverDirectoryFromACrashIsCleaned() async throws {
        let port = try SandboxPorts.allocate(count: 2)
        let directory = NSTemporaryDirectory() + "sandbox-crash-\(port)"
        let first = try await Sandbox.up(directory: directory, basePort: port, topology: try SandboxTopologySpec(parsing: "1>0"), logger: Logger(label: "t"))
        let oldPids = first.instances.compactMap { first.pid(of: $0.index) }
        // The "crash": the servers keep running and the directory stays; a new run starts over.
        let second = try await Sandbox.up(directory: directory, basePort: port, topology: try SandboxTopologySpec(parsing: "1>0"), logger: Logger(label: "t"))
        #expect(oldPids.allSatisfy { kill($0, 0) != 0 || Self.isZombie($0) })
        #expect(try await Self.isReplicating(second, 1))
        try await second.down()
    }

    static func slavePos(_ sandbox: Sandbox, _ index: Int) async throws -> String {
        let connection = try await sandbox.connect(index)
        defer { Task { await connection.close() } }
        return try await connection.query("SELECT @@global.gtid_slave_pos AS p").first?.string("p") ?? ""
    }

    static func isReplicating(_ sandbox: Sandbox, _ index: Int) async throws -> Bool {
        guard let connection = try? await sandbox.connect(index) else { return false }
        defer { Task { await connection.close() } }
        guard let row = try await connection.query("SHOW SLAVE STATUS").first else { return false }
        return row.string("Slave_IO_Running") == "Yes" && row.string("Slave_SQL_Running") == "Yes"
    }

    static func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}
