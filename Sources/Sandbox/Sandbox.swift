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

    /// Creates and starts the topology; a leftover directory (a crashed run) is cleaned first.
    /// Servers start in parallel from a copied template datadir; returns once every replica's
    /// IO and SQL threads run.
    package static func up(
        directory rawDirectory: String, basePort: Int, topology: SandboxTopologySpec, options: SandboxOptions = SandboxOptions(), logger: Logger
    ) async throws -> Sandbox {
        let directory = URL(fileURLWithPath: rawDirectory).standardizedFileURL.path
        guard directory != "/", basePort > 0, basePort + topology.instanceCount <= 65536 else {
            throw SandboxError.state("refusing sandbox directory '\(directory)' with base port \(basePort)")
        }
        let started = ContinuousClock.now
        await SandboxState.removeLeftovers(in: directory)
        let template = try await DataDirectoryTemplate.path()
        let sandbox = Sandbox(directory: directory, basePort: basePort, topology: topology, pids: [:])
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for instance in sandbox.instances {
                    group.addTask {
                        try await sandbox.prepareFiles(
                            instance, template: template, binaryLog: !options.withoutBinaryLog.contains(instance.index), tls: options.tls
                        )
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
                    group.addTask { try await SandboxSetup.startReplication(on: instance, from: master, usesGTID: options.usesGTID, heartbeatPeriod: options.heartbeatPeriod) }
                }
                try await group.waitForAll()
            }
        } catch {
            try? await sandbox.down()
            throw error
        }
        logger.info("sandbox up", metadata: [
            "directory": "\(directory)", "topology": "\(topology)", "seconds": "\(ContinuousClock.now - started)",
        ])
        return sandbox
    }

    /// The sandbox described by `DIR/sandbox.json` (written by `up`, possibly by another process).
    package static func load(directory rawDirectory: String) throws -> Sandbox {
        let directory = URL(fileURLWithPath: rawDirectory).standardizedFileURL.path
        let state = try SandboxState.read(from: directory)
        let topology = try SandboxTopologySpec(parsing: state.topology)
        let pids = state.instances.reduce(into: [Int: pid_t]()) { pids, server in pids[server.index] = server.pid }
        return Sandbox(directory: directory, basePort: state.basePort, topology: topology, pids: pids)
    }

    /// Stops every server of this sandbox (SIGTERM, SIGKILL after 10 s) and removes its directory.
    package func down() async throws {
        var all = Set(pids.withLock { Array($0.values) })
        for instance in instances {
            if let pid = SandboxProcess.pidFromFile(instance) { all.insert(pid) }
        }
        await withTaskGroup(of: Void.self) { group in
            for pid in all where SandboxProcess.belongs(pid, to: directory) {
                group.addTask { await SandboxProcess.stop(pid) }
            }
        }
        try await ShellCommand.removeDirectory(directory)
    }

    /// Stops the servers a broken sandbox left in `directory` (found by its pid files, only
    /// those started from it) and removes the directory; for when `load` cannot read it.
    package static func removeLeftovers(directory rawDirectory: String) async {
        await SandboxState.removeLeftovers(in: URL(fileURLWithPath: rawDirectory).standardizedFileURL.path)
    }

    /// The pid of the server last started for `index` (it may have died since).
    package func pid(of index: Int) -> pid_t? { pids.withLock { $0[index] } }

    /// Sends a signal (default SIGKILL) to one running server.
    package func kill(_ index: Int, signal: Int32 = SIGKILL) throws {
        guard instances.indices.contains(index) else { throw SandboxError.unknownInstance(index) }
        guard let pid = pid(of: index), SandboxProcess.isAlive(pid), SandboxProcess.belongs(pid, to: directory) else {
            throw SandboxError.notRunning(index)
        }
        guard Glibc.kill(pid, signal) == 0 else {
            throw SandboxError.state("cannot signal instance \(index) (pid \(pid)): errno \(errno)")
        }
    }

    /// Stops one server gracefully (SIGTERM) and waits until it is gone.
    package func stop(_ index: Int) async throws {
        guard instances.indices.contains(index) else { throw SandboxError.unknownInstance(index) }
        guard let pid = pid(of: index), SandboxProcess.belongs(pid, to: directory) else { return }
        await SandboxProcess.stop(pid)
    }

    /// (Re)starts a stopped or killed server on its existing datadir and waits until it accepts
    /// connections; a replica resumes replicating from its persisted master settings.
    package func start(_ index: Int) async throws {
        guard instances.indices.contains(index) else { throw SandboxError.unknownInstance(index) }
        if let pid = pid(of: index), SandboxProcess.isAlive(pid), SandboxProcess.belongs(pid, to: directory) {
            await SandboxProcess.stop(pid, signal: SIGKILL)
        }
        try await launch(instances[index])
        try saveState()
    }

    /// One server and whether it runs.
    package struct Status: Sendable {
        package var instance: SandboxInstance
        package var pid: pid_t?
        package var isRunning: Bool
    }

    package func status() -> [Status] {
        instances.map { instance in
            let pid = pid(of: instance.index)
            let isRunning = pid.map { SandboxProcess.isAlive($0) && SandboxProcess.belongs($0, to: directory) } ?? false
            return Status(instance: instance, pid: pid, isRunning: isRunning)
        }
    }

    /// A connection as the topology user over TCP.
    package func connect(_ index: Int, options: MySQLConnectionOptions = .init(connectTimeoutSeconds: 2, readTimeoutSeconds: 10, writeTimeoutSeconds: 10)) async throws -> MySQLConnection {
        guard instances.indices.contains(index) else { throw SandboxError.unknownInstance(index) }
        return try await MySQLConnection.connect(to: instances[index].endpoint, credentials: Self.topologyCredentials, options: options)
    }

    private func prepareFiles(_ instance: SandboxInstance, template: String, binaryLog: Bool, tls: SandboxTLS?) async throws {
        try FileManager.default.createDirectory(atPath: instance.directory, withIntermediateDirectories: true)
        // `cp` in a child process: copying megabytes in-process would hold a cooperative thread.
        try await ShellCommand.run("/bin/cp", ["-a", "--reflink=auto", template, instance.dataDir])
        try instance.configuration(runAsRoot: getuid() == 0, binaryLog: binaryLog, tls: tls).write(toFile: instance.configFile, atomically: true, encoding: .utf8)
    }

    private func launch(_ instance: SandboxInstance) async throws {
        let pid = try await SandboxProcess.launch(instance)
        pids.withLock { $0[instance.index] = pid }
        try await SandboxSetup.waitUntilReady(instance, pid: pid)
    }

    private func saveState() throws {
        let servers = instances.map { instance in
            SandboxState.Server(index: instance.index, port: instance.port, masterIndex: instance.masterIndex, pid: pid(of: instance.index))
        }
        try SandboxState(basePort: basePort, topology: topology.description, instances: servers).write(to: directory)
    }
}
