import Foundation
import Logging
import Sandbox
import Synchronization

/// Runs `body` against a fresh sandbox topology and always tears it down, also on failure.
/// Without `basePort`, each sandbox gets its own block of free ports, so suites can run in parallel.
package func withSandbox<T>(topology: String, basePort: Int? = nil, _ body: (Sandbox) async throws -> T) async throws -> T {
    let spec = try SandboxTopologySpec(parsing: topology)
    let port = try basePort ?? SandboxPorts.allocate(count: spec.instanceCount)
    let directory = NSTemporaryDirectory() + "orchestrator-test-\(getpid())-\(port)"
    var logger = Logger(label: "test.sandbox")
    logger.logLevel = .warning
    let sandbox = try await Sandbox.up(directory: directory, basePort: port, topology: spec, logger: logger)
    do {
        let result = try await body(sandbox)
        try await sandbox.down()
        return result
    } catch {
        try? await sandbox.down()
        throw error
    }
}

/// Hands out blocks of ports on 127.0.0.1 that nothing listens on.
package enum SandboxPorts {
    private static let next = Mutex(24000 + Int(getpid() % 200) * 20)

    package static func allocate(count: Int) throws -> Int {
        for _ in 0..<500 {
            let base = next.withLock { value -> Int in
                let base = value
                value = value + 10 > 28990 ? 24000 : value + 10
                return base
            }
            if (base..<(base + count)).allSatisfy(isFree) { return base }
        }
        throw SandboxError.state("no free block of \(count) ports between 24000 and 29000")
    }

    private static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
