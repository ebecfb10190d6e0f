import Foundation
import Logging
import ServiceLifecycle
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// The result of one hook command.
package struct HookOutcome: Sendable, Equatable {
    package var command: String
    /// `nil` when the hook could not be started or was killed at its timeout.
    package var exitStatus: Int32?
    package var output: String
    package var duration: Duration
    package var timedOut: Bool
    package var isAsynchronous: Bool

    package var succeeded: Bool { exitStatus == 0 }
}

/// Runs orchestrator-style hook lists (`OnFailureDetectionProcesses`, …): each command text is
/// written to a temporary script run by `ProcessesShellCommand` with the `ORC_*` variables
/// added to our environment; a trailing `&` runs it in the background. Unlike orchestrator a
/// hook has a timeout: it is killed with its whole process group when it runs too long.
///
/// As a service it owns the background hooks: whoever asked for one has moved on, so they run
/// in this service's task group, and shutdown waits for them (each bounded by the timeout).
package struct HookRunner: Service, Sendable {
    package var shellCommand: String
    package var timeout: Duration
    package var logger: Logger
    private let backgroundRuns = WorkQueue()

    package init(shellCommand: String = "bash", timeout: Duration = .seconds(60), logger: Logger) {
        self.shellCommand = shellCommand
        self.timeout = timeout
        self.logger = logger
    }

    /// Runs the background hooks until shutdown has drained them.
    package func run() async throws {
        await backgroundRuns.run()
    }

    /// Waits until no background hook is queued or running; for tests.
    package func waitForBackgroundHooks() async {
        await backgroundRuns.waitUntilIdle()
    }

    /// Runs `commands` in order. With `failFast` the first failing synchronous hook stops the
    /// list. Background hooks are started and not waited for; their outcome is only logged.
    package func run(_ name: String, commands: [String], context: HookContext, failFast: Bool) async -> [HookOutcome] {
        var outcomes: [HookOutcome] = []
        for (index, raw) in commands.enumerated() {
            var command = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            let isAsynchronous = command.hasSuffix("&")
            while command.hasSuffix("&") { command.removeLast() }
            let text = context.substitute(into: command)
            let label = "\(name) hook \(index + 1) of \(commands.count)"
            if isAsynchronous {
                let runner = self
                let queued = backgroundRuns.enqueue {
                    let outcome = await runner.execute(text, environment: context.environment, isAsynchronous: true)
                    runner.log(label, outcome)
                }
                if !queued { logger.warning("shutting down: \(label) not run", metadata: ["command": "\(text)"]) }
                outcomes.append(HookOutcome(command: text, exitStatus: nil, output: "", duration: .zero, timedOut: false, isAsynchronous: true))
                continue
            }
            let outcome = await execute(text, environment: context.environment, isAsynchronous: false)
            log(label, outcome)
            outcomes.append(outcome)
            if failFast, !outcome.succeeded {
                logger.warning("not running further \(name) hooks")
                break
            }
        }
        return outcomes
    }

    private func log(_ label: String, _ outcome: HookOutcome) {
        let metadata: Logger.Metadata = ["command": "\(outcome.command)", "output": "\(outcome.output.suffix(4000))"]
        if outcome.succeeded {
            logger.info("completed \(label) in \(outcome.duration)", metadata: metadata)
        } else if outcome.timedOut {
            logger.error("\(label) killed after \(timeout)", metadata: metadata)
        } else {
            logger.error("\(label) failed with status \(outcome.exitStatus.map(String.init) ?? "none")", metadata: metadata)
        }
    }

    func execute(_ command: String, environment: [String: String], isAsynchronous: Bool) async -> HookOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("orchestrator-process-cmd-\(UUID().uuidString)")
        do {
            try Data(command.utf8).write(to: script)
        } catch {
            return HookOutcome(command: command, exitStatus: nil, output: "cannot write hook script: \(error)", duration: clock.now - started,
                               timedOut: false, isAsynchronous: isAsynchronous)
        }
        defer { try? FileManager.default.removeItem(at: script) }
        let shell = shellCommand
        let limit = timeout
        // At the deadline the run is cancelled, which tears its process group down in the
        // background; the outcome does not wait for that.
        let result: Result<(Int32?, String), any Error>? = await withDeadline(limit) {
            var options = PlatformOptions()
            // Its own process group, so a timeout kills whatever the script started too.
            options.processGroupID = 0
            options.teardownSequence = [
                .send(signal: .terminate, toProcessGroup: true, allowedDurationToNextStep: .milliseconds(500)),
                .send(signal: .kill, toProcessGroup: true, allowedDurationToNextStep: .milliseconds(100)),
            ]
            var overrides: [Environment.Key: String?] = [:]
            for (name, value) in environment { overrides[Environment.Key(stringLiteral: name)] = value }
            do {
                let run = try await Subprocess.run(
                    .name(shell), arguments: [script.path], environment: .inherit.updating(overrides), platformOptions: options,
                    output: .string(limit: 1 << 20), error: .combinedWithOutput
                )
                let status: Int32? = if case let .exited(code) = run.terminationStatus { code } else { nil }
                return .success((status, run.standardOutput ?? ""))
            } catch {
                return .failure(error)
            }
        }
        let duration = clock.now - started
        switch result {
        case let .success((status, output))?:
            return HookOutcome(command: command, exitStatus: status, output: output, duration: duration, timedOut: false, isAsynchronous: isAsynchronous)
        case let .failure(error)?:
            return HookOutcome(command: command, exitStatus: nil, output: "cannot run \(shell): \(error)", duration: duration, timedOut: false,
                               isAsynchronous: isAsynchronous)
        case nil:
            return HookOutcome(command: command, exitStatus: nil, output: "", duration: duration, timedOut: true, isAsynchronous: isAsynchronous)
        }
    }
}
