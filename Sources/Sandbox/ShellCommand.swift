import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs a short-lived command to completion and captures its output (also for tests that
/// prepare files with command-line tools, such as certificates with `openssl`).
package enum ShellCommand {
    @discardableResult
    package static func run(_ path: String, _ arguments: [String]) async throws(SandboxError) -> String {
        do {
            let result = try await Subprocess.run(
                .path(FilePath(path)), arguments: Arguments(arguments),
                output: .string(limit: 1 << 20), error: .string(limit: 1 << 20)
            )
            guard case .exited(0) = result.terminationStatus else {
                let output = result.standardOutput + "\n" + result.standardError
                throw SandboxError.command("\(path) \(arguments.joined(separator: " ")) failed (\(result.terminationStatus)): \(output.suffix(2000))")
            }
            return result.standardOutput
        } catch let error as SandboxError {
            throw error
        } catch {
            throw .command("cannot run \(path): \(error)")
        }
    }

    /// `rm -rf` in a child process, so deleting datadirs never holds a cooperative thread.
    static func removeDirectory(_ path: String) async throws(SandboxError) {
        guard path.hasPrefix("/"), path.count > 1 else { throw .state("refusing to remove '\(path)'") }
        try await run("/bin/rm", ["-rf", "--", path])
    }
}
