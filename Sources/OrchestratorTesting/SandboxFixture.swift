import Foundation
import Logging
import Sandbox

/// Runs `body` against a fresh sandbox topology in a new directory under /tmp and always tears
/// it down, also when `body` throws. Without `basePort`, the sandbox gets its own block of
/// free ports, so suites (and test processes) can run side by side. At most
/// `SandboxSlots`' limit of sandboxes run at once; the others wait their turn.
///
/// When `body` throws, the tail of every server's error log is printed before the sandbox is
/// removed, so a failed run says what the servers saw.
package func withSandbox<T>(
    topology: String, basePort: Int? = nil, options: SandboxOptions = SandboxOptions(), _ body: (Sandbox) async throws -> T
) async throws -> T {
    try await SandboxSlots.withSlot {
        let spec = try SandboxTopologySpec(parsing: topology)
        let reservation = try basePort.map { SandboxPorts.Reservation(unlocked: $0) } ?? SandboxPorts.reserve(count: spec.instanceCount)
        defer { reservation.release() }
        let directory = "/tmp/orchestrator-test-\(getpid())-\(reservation.basePort)-\(UUID().uuidString.prefix(6))"
        var logger = Logger(label: "orchestrator.test.sandbox")
        logger.logLevel = .warning
        let sandbox = try await Sandbox.up(directory: directory, basePort: reservation.basePort, topology: spec, options: options, logger: logger)
        let result: T
        do {
            result = try await body(sandbox)
        } catch {
            printErrorLogTails(of: sandbox, because: error)
            try? await sandbox.down()
            throw error
        }
        try await sandbox.down()
        return result
    }
}

/// The last lines of each server's error log, on standard error.
package func printErrorLogTails(of sandbox: Sandbox, because error: any Error, lines: Int = 15) {
    var report = "sandbox \(sandbox.directory) (\(sandbox.topology)) failed: \(error)\n"
    for instance in sandbox.instances {
        let text = (try? String(contentsOfFile: instance.errorLog, encoding: .utf8)) ?? "(no error log)"
        let tail = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
        report += "--- instance \(instance.index) (127.0.0.1:\(instance.port)) \(instance.errorLog):\n\(tail)\n"
    }
    FileHandle.standardError.write(Data(report.utf8))
}
