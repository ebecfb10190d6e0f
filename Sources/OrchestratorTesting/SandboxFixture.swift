import Foundation
import Logging
import Sandbox

/// Runs `body` against a fresh sandbox topology in a new directory under /tmp and always tears
/// it down, also when `body` throws. Without `basePort`, the sandbox gets its own block of
/// free ports, so suites (and test processes) can run side by side.
package func withSandbox<T>(topology: String, basePort: Int? = nil, _ body: (Sandbox) async throws -> T) async throws -> T {
    let spec = try SandboxTopologySpec(parsing: topology)
    let reservation = try basePort.map { SandboxPorts.Reservation(unlocked: $0) } ?? SandboxPorts.reserve(count: spec.instanceCount)
    defer { reservation.release() }
    let directory = "/tmp/orchestrator-test-\(getpid())-\(reservation.basePort)-\(UUID().uuidString.prefix(6))"
    var logger = Logger(label: "orchestrator.test.sandbox")
    logger.logLevel = .warning
    let sandbox = try await Sandbox.up(directory: directory, basePort: reservation.basePort, topology: spec, logger: logger)
    let result: T
    do {
        result = try await body(sandbox)
    } catch {
        try? await sandbox.down()
        throw error
    }
    try await sandbox.down()
    return result
}
