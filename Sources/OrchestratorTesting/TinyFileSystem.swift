import Foundation

/// A small tmpfs a test mounts (root only, like the loopback firewall) to fill up: what a
/// store does when its disk is full, and when space returns. Always unmounted by `unmount()`.
package struct TinyFileSystem: Sendable {
    package let path: String
    private var filler: String { path + "/filler" }

    package struct CommandFailed: Error, CustomStringConvertible {
        package var command: String
        package var description: String { "failed: \(command) (mounting a tmpfs needs root)" }
    }

    /// Mounts a tmpfs of `megabytes` at a new directory under /tmp.
    package static func mount(megabytes: Int = 2) throws -> TinyFileSystem {
        let path = "/tmp/orchestrator-tinyfs-\(getpid())-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try run("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path])
        return TinyFileSystem(path: path)
    }

    /// Writes zeros until the file system refuses.
    package func fill() throws {
        FileManager.default.createFile(atPath: filler, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
        defer { try? handle.close() }
        let chunk = Data(count: 64 << 10)
        while true {
            do { try handle.write(contentsOf: chunk) } catch { return }
        }
    }

    /// Gives the space back.
    package func free() throws {
        try FileManager.default.removeItem(atPath: filler)
    }

    package func unmount() {
        try? Self.run("/usr/bin/umount", ["-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CommandFailed(command: ([executable] + arguments).joined(separator: " ")) }
    }
}
