import Foundation
import Sandbox

/// A server process a test started (etcd, ZooKeeper): its own directory and ports, stopped by
/// its pid, never by name.
package final class LocalServer: Sendable {
    package let pid: pid_t
    package let port: Int
    package let directory: String
    private let reservation: SandboxPorts.Reservation

    init(pid: pid_t, port: Int, directory: String, reservation: SandboxPorts.Reservation) {
        self.pid = pid
        self.port = port
        self.directory = directory
        self.reservation = reservation
    }

    /// SIGTERM, then SIGKILL after 5 s; waits until it is gone.
    package func stop() async {
        guard kill(pid, 0) == 0 else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(5)
        while kill(pid, 0) == 0, !Self.isZombie(pid), ContinuousClock.now < deadline { await pauseIgnoringCancellation(.milliseconds(20)) }
        if kill(pid, 0) == 0, !Self.isZombie(pid) { kill(pid, SIGKILL) }
    }

    fileprivate func cleanUp() async {
        await stop()
        try? FileManager.default.removeItem(atPath: directory)
        reservation.release()
    }

    private static func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}

/// Runs `body` with an etcd on 127.0.0.1 (`LocalServer.port` is its client port; the v3 JSON
/// gateway is at `http://127.0.0.1:<port>`).
package func withEtcd<T>(_ body: (LocalServer) async throws -> T) async throws -> T {
    try await SandboxSlots.withSlot { try await startEtcd(body) }
}

private func startEtcd<T>(_ body: (LocalServer) async throws -> T) async throws -> T {
    let reservation = try SandboxPorts.reserve(count: 2)
    let client = reservation.basePort, peer = reservation.basePort + 1
    let directory = NSTemporaryDirectory() + "orchestrator-etcd-\(client)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let command = "etcd --name test --data-dir \(directory)/data --listen-client-urls http://127.0.0.1:\(client) "
        + "--advertise-client-urls http://127.0.0.1:\(client) --listen-peer-urls http://127.0.0.1:\(peer) "
        + "--initial-advertise-peer-urls http://127.0.0.1:\(peer) --initial-cluster test=http://127.0.0.1:\(peer)"
    let server = LocalServer(pid: try spawnDetached(command, log: directory + "/etcd.log"), port: client, directory: directory, reservation: reservation)
    return try await running(server) {
        try await waitForListener(port: client, log: directory + "/etcd.log")
        return try await body(server)
    }
}

/// Runs `body` with a standalone ZooKeeper on 127.0.0.1 (`LocalServer.port` is its client port).
/// Takes a sandbox slot: a starting JVM is as heavy as a few servers.
package func withZooKeeper<T>(_ body: (LocalServer) async throws -> T) async throws -> T {
    try await SandboxSlots.withSlot { try await startZooKeeper(body) }
}

private func startZooKeeper<T>(_ body: (LocalServer) async throws -> T) async throws -> T {
    let reservation = try SandboxPorts.reserve(count: 1)
    let port = reservation.basePort
    let directory = NSTemporaryDirectory() + "orchestrator-zookeeper-\(port)"
    try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
    let config = "tickTime=2000\ndataDir=\(directory)/data\nclientPort=\(port)\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n"
    try config.write(toFile: directory + "/zoo.cfg", atomically: true, encoding: .utf8)
    let command = "java -Dzookeeper.jmx.log4j.disable=true -cp '/usr/share/java/zookeeper.jar:/usr/share/java/*' "
        + "org.apache.zookeeper.server.quorum.QuorumPeerMain \(directory)/zoo.cfg"
    let server = LocalServer(pid: try spawnDetached(command, log: directory + "/zookeeper.log"), port: port, directory: directory, reservation: reservation)
    return try await running(server) {
        try await waitForListener(port: port, log: directory + "/zookeeper.log", timeout: .seconds(90))
        return try await body(server)
    }
}

private func running<T>(_ server: LocalServer, _ body: () async throws -> T) async throws -> T {
    do {
        let result = try await body()
        await server.cleanUp()
        return result
    } catch {
        await server.cleanUp()
        throw error
    }
}

/// Starts `command` (through /bin/sh, exec'd so the pid is the server's own), input from
/// /dev/null, output appended to `log`; returns its pid.
private func spawnDetached(_ command: String, log: String) throws -> pid_t {
    FileManager.default.createFile(atPath: log, contents: nil)
    guard let output = FileHandle(forWritingAtPath: log) else {
        throw LocalServerError(message: "cannot write \(log)")
    }
    output.seekToEndOfFile()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "exec \(command)"]
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = output
    process.standardError = output
    do {
        try process.run()
    } catch {
        throw LocalServerError(message: "cannot start '\(command)': \(error)")
    }
    try? output.close()
    return process.processIdentifier
}

private func waitForListener(port: Int, log: String, timeout: Duration = .seconds(60)) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let connected = withLoopbackAddress(port: port) { connect(descriptor, $0, $1) }
        close(descriptor)
        if connected == 0 { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    let tail = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").suffix(2000)
    throw LocalServerError(message: "nothing listens on 127.0.0.1:\(port) after \(timeout); log:\n\(tail)")
}

package struct LocalServerError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}
