import Foundation
import Logging
import MySQLClient
import Synchronization

/// Real MariaDB servers on 127.0.0.1, replicating as a spec says, each with its own datadir,
/// socket, pid file and error log under one directory. Stopped only by the pids it started.
package final class Sandbox: Sendable {
    package let directory: String
    package let basePort: Int
    package let topology: SandboxTopologySpec
    package let instances: [SandboxInstance]
    private let pids: Mutex<[Int: pid_t]>

    /// The topology user the sandbox creates on every server (what orchestrator connects as).
    package static let topologyCredentials = MySQLCredentials(user: "orchestrator", password: "orch_pass")
    /// The replication user.
    package static let replicationCredentials = MySQLCredentials(user: "repl", password: "repl_pass")

    private init(directory: String, basePort: Int, topology: SandboxTopologySpec, pids: [Int: pid_t]) {
        self.directory = directory
        self.basePort = basePort
        self.topology = topology
        self.instances = (0..<topology.instanceCount).map { index in
            SandboxInstance(index: index, port: basePort + index, masterIndex: topology.master(of: index), directory: "\(directory)/\(index)")
        }
        self.pids = Mutex(pids)
    }

    /// Creates and starts the topology. A leftover directory (a crashed run) is cleaned first.
    package static func up(directory rawDirectory: String, basePort: Int, topology: SandboxTopologySpec, logger: Logger) async throws -> Sandbox {
        let directory = URL(fileURLWithPath: rawDirectory).standardizedFileURL.path
        await removeLeftovers(directory)
        let template = try await DataDirectoryTemplate.path()
        let sandbox = Sandbox(directory: directory, basePort: basePort, topology: topology, pids: [:])
        do {
            for instance in sandbox.instances {
                try FileManager.default.createDirectory(atPath: instance.directory, withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: template, toPath: instance.dataDir)
                try instance.configuration(runAsRoot: getuid() == 0).write(toFile: instance.configFile, atomically: true, encoding: .utf8)
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for instance in sandbox.instances {
                    group.addTask {
                        try await sandbox.launch(instance)
                        try await SandboxSetup.createUsers(on: instance)
                    }
                }
                try await group.waitForAll()
            }
            try sandbox.saveState()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for instance in sandbox.instances {
                    guard let masterIndex = instance.masterIndex else { continue }
                    let master = sandbox.instances[masterIndex]
                    group.addTask { try await SandboxSetup.startReplication(on: instance, from: master) }
                }
                try await group.waitForAll()
            }
            logger.info("sandbox up", metadata: ["directory": "\(directory)", "topology": "\(topology)"])
            return sandbox
        } catch {
            try? await sandbox.down()
            throw error
        }
    }

    /// The sandbox described by `DIR/sandbox.json`.
    package static func load(directory rawDirectory: String) throws -> Sandbox {
        let directory = URL(fileURLWithPath: rawDirectory).standardizedFileURL.path
        guard let data = FileManager.default.contents(atPath: directory + "/sandbox.json") else {
            throw SandboxError.state("no sandbox in \(directory) (missing sandbox.json)")
        }
        let state = try JSONDecoder().decode(SandboxState.self, from: data)
        let topology = try SandboxTopologySpec(parsing: state.topology)
        return Sandbox(directory: directory, basePort: state.basePort, topology: topology,
                       pids: Dictionary(state.pids.map { (Int($0.key) ?? -1, $0.value) }, uniquingKeysWith: { $1 }))
    }

    /// Stops every server this sandbox started (by pid) and removes its directory.
    package func down() async throws {
        let all = pids.withLock { $0 }
        await withTaskGroup(of: Void.self) { group in
            for (_, pid) in all where SandboxProcess.belongs(pid, to: directory) {
                group.addTask { await SandboxProcess.stop(pid) }
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    package func pid(of index: Int) -> pid_t? { pids.withLock { $0[index] } }

    /// Sends a signal (default SIGKILL) to one server.
    package func kill(_ index: Int, signal: Int32 = SIGKILL) throws {
        guard let pid = pid(of: index), SandboxProcess.belongs(pid, to: directory) else { throw SandboxError.unknownInstance(index) }
        Glibc.kill(pid, signal)
    }

    /// Stops one server gracefully and waits until it is gone.
    package func stop(_ index: Int) async throws {
        guard let pid = pid(of: index) else { throw SandboxError.unknownInstance(index) }
        await SandboxProcess.stop(pid)
    }

    /// (Re)starts a stopped or killed server on its existing datadir; replication resumes from
    /// its persisted settings.
    package func start(_ index: Int) async throws {
        guard instances.indices.contains(index) else { throw SandboxError.unknownInstance(index) }
        if let pid = pid(of: index), SandboxProcess.isAlive(pid), !SandboxProcess.isZombie(pid), SandboxProcess.belongs(pid, to: directory) {
            await SandboxProcess.stop(pid, signal: SIGKILL)
        }
        try await launch(instances[index])
        try saveState()
    }

    package struct Status: Sendable {
        package var instance: SandboxInstance
        package var pid: pid_t?
        package var isRunning: Bool
    }

    package func status() -> [Status] {
        instances.map { instance in
            let pid = pid(of: instance.index)
            let running = pid.map { SandboxProcess.isAlive($0) && !SandboxProcess.isZombie($0) && SandboxProcess.belongs($0, to: directory) } ?? false
            return Status(instance: instance, pid: pid, isRunning: running)
        }
    }

    /// A connection as the topology user over TCP.
    package func connect(_ index: Int) async throws -> MySQLConnection {
        guard instances.indices.contains(index) else { throw SandboxError.unknownInstance(index) }
        return try await MySQLConnection.connect(to: instances[index].endpoint, credentials: Self.topologyCredentials,
                                                 options: MySQLConnectionOptions(connectTimeoutSeconds: 2, readTimeoutSeconds: 10, writeTimeoutSeconds: 10))
    }

    private func launch(_ instance: SandboxInstance) async throws {
        let pid = try await SandboxProcess.launch(instance)
        pids.withLock { $0[instance.index] = pid }
        try await SandboxSetup.waitUntilReady(instance, pid: pid)
    }

    private func saveState() throws {
        let state = SandboxState(basePort: basePort, topology: topology.description.isEmpty ? "0" : topology.description,
                                 pids: Dictionary(pids.withLock { $0 }.map { (String($0.key), $0.value) }, uniquingKeysWith: { $1 }))
        try JSONEncoder().encode(state).write(to: URL(fileURLWithPath: directory + "/sandbox.json"))
    }

    /// Kills what a crashed run left in `directory` (only processes started from it) and removes it.
    private static func removeLeftovers(_ directory: String) async {
        guard FileManager.default.fileExists(atPath: directory) else { return }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for entry in entries {
            let pidFile = "\(directory)/\(entry)/mariadbd.pid"
            if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
               let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), SandboxProcess.belongs(pid, to: directory) {
                await SandboxProcess.stop(pid, signal: SIGKILL)
            }
        }
        if let data = FileManager.default.contents(atPath: directory + "/sandbox.json"),
           let state = try? JSONDecoder().decode(SandboxState.self, from: data) {
            for pid in state.pids.values where SandboxProcess.belongs(pid, to: directory) {
                await SandboxProcess.stop(pid, signal: SIGKILL)
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// `DIR/sandbox.json`: enough to find and stop the servers from another process.
struct SandboxState: Codable {
    var basePort: Int
    var topology: String
    var pids: [String: pid_t]
}
