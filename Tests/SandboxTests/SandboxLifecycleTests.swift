import Foundation
import MySQLClient
import OrchestratorTesting
import Sandbox
import Testing

@Suite(.timeLimit(.minutes(15)))
struct SandboxLifecycleTests {
    @Test func upStartsAReplicatingTopology() async throws {
        try await withSandbox(topology: "1>0,2>0,3>2") { sandbox in
            #expect(sandbox.status().allSatisfy { $0.isRunning })
            #expect(sandbox.instances.map(\.masterIndex) == [nil, 0, 0, 2])
            for replica in 1...3 { #expect(await SandboxProbe.isReplicating(sandbox, replica), "instance \(replica)") }

            let connection = try await sandbox.connect(3)
            let status = try #require(try await connection.query("SHOW SLAVE STATUS").first)
            await connection.close()
            #expect(status.string("Using_Gtid") == "Slave_Pos")
            #expect(status.int("Master_Port") == Int64(sandbox.instances[2].port) && status.string("Master_User") == "repl")
            #expect(try await SandboxProbe.value("SELECT @@global.read_only", on: sandbox, 0) == "0")
            #expect(try await SandboxProbe.value("SELECT @@global.read_only", on: sandbox, 3) == "1")
            var serverIDs: Set<String> = []
            for index in 0..<4 { serverIDs.insert(try await SandboxProbe.value("SELECT @@server_id", on: sandbox, index)) }
            #expect(serverIDs.count == 4)

            let master = try await sandbox.connect(0)
            try await master.execute("CREATE DATABASE sandbox_test")
            try await master.execute("CREATE TABLE sandbox_test.t (id INT PRIMARY KEY)")
            try await master.execute("INSERT INTO sandbox_test.t VALUES (1), (2)")
            await master.close()
            for replica in 1...3 {
                try #require(try await expectEventually { await SandboxProbe.hasCaughtUp(sandbox, replica: replica, master: 0) }, "instance \(replica)")
            }
            // Through the intermediate master 2.
            #expect(try await SandboxProbe.value("SELECT COUNT(*) FROM sandbox_test.t", on: sandbox, 3) == "2")
        }
    }

    @Test func filesStateAndUsers() async throws {
        try await withSandbox(topology: "1>0") { sandbox in
            for instance in sandbox.instances {
                for path in [instance.dataDir, instance.socketPath, instance.pidFile, instance.errorLog] {
                    #expect(FileManager.default.fileExists(atPath: path), "\(path)")
                }
                #expect(instance.directory.hasPrefix(sandbox.directory + "/") && instance.port == sandbox.basePort + instance.index)
                let pidFile = try String(contentsOfFile: instance.pidFile, encoding: .utf8)
                #expect(pid_t(pidFile.trimmingCharacters(in: .whitespacesAndNewlines)) == sandbox.pid(of: instance.index))
            }
            // Another process finds the same servers through sandbox.json.
            let loaded = try Sandbox.load(directory: sandbox.directory)
            #expect(loaded.instances == sandbox.instances && loaded.topology == sandbox.topology)
            #expect(loaded.instances.map { loaded.pid(of: $0.index) } == sandbox.instances.map { sandbox.pid(of: $0.index) })

            // The topology user also works over the socket (as localhost), and the
            // replication user can log in but not write.
            let overSocket = try await MySQLConnection.connect(
                to: MySQLEndpoint(host: "localhost", port: sandbox.basePort), credentials: Sandbox.topologyCredentials,
                options: MySQLConnectionOptions(unixSocket: sandbox.instances[0].socketPath)
            )
            #expect(try await overSocket.query("SELECT CURRENT_USER() AS u").first?.string("u") == "orchestrator@localhost")
            await overSocket.close()
            let replication = try await MySQLConnection.connect(to: sandbox.instances[0].endpoint, credentials: Sandbox.replicationCredentials)
            let denied = await #expect(throws: MySQLError.self) { try await replication.execute("CREATE DATABASE nope") }
            #expect(denied?.code == 1044)
            await replication.close()
            // Setup wrote nothing to the binary logs: no local GTIDs that replicas could diverge on.
            #expect(try await SandboxProbe.value("SELECT @@global.gtid_binlog_pos", on: sandbox, 0) == "")
            #expect(try await SandboxProbe.value("SELECT @@global.gtid_binlog_pos", on: sandbox, 1) == "")
        }
    }

    @Test func killedOrStoppedServersResumeReplicationAfterStart() async throws {
        try await withSandbox(topology: "1>0") { sandbox in
            let killed = try #require(sandbox.pid(of: 1))
            try sandbox.kill(1)
            try #require(try await expectEventually { SandboxProbe.isGone(killed) })
            #expect(sandbox.status().map(\.isRunning) == [true, false])
            #expect(throws: SandboxError.notRunning(1)) { try sandbox.kill(1) }
            #expect(throws: SandboxError.unknownInstance(7)) { try sandbox.kill(7) }

            // Written while the replica is down, applied once it is back.
            let master = try await sandbox.connect(0)
            try await master.execute("CREATE DATABASE while_replica_down")
            await master.close()
            try await sandbox.start(1)
            let restarted = try #require(sandbox.pid(of: 1))
            #expect(restarted != killed && sandbox.status().map(\.isRunning) == [true, true])
            try #require(try await expectEventually(timeout: .seconds(30)) { await SandboxProbe.hasCaughtUp(sandbox, replica: 1, master: 0) })
            #expect(await SandboxProbe.isReplicating(sandbox, 1))
            #expect(try Sandbox.load(directory: sandbox.directory).pid(of: 1) == restarted)

            // A graceful master restart: the replica reconnects by itself (MASTER_CONNECT_RETRY=1).
            let oldMaster = try #require(sandbox.pid(of: 0))
            try await sandbox.stop(0)
            #expect(SandboxProbe.isGone(oldMaster) && !sandbox.status()[0].isRunning)
            try await sandbox.start(0)
            let again = try await sandbox.connect(0)
            try await again.execute("CREATE DATABASE after_master_restart")
            await again.close()
            try #require(try await expectEventually(timeout: .seconds(30)) {
                guard await SandboxProbe.hasCaughtUp(sandbox, replica: 1, master: 0) else { return false }
                return await SandboxProbe.isReplicating(sandbox, 1)
            })
        }
    }
}
