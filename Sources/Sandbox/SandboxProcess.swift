import Foundation

/// Starting and stopping one mariadbd, always by pid.
enum SandboxProcess {
    /// Starts mariadbd in its own session through a shell that exits at once: the server is
    /// re-parented to init (which reaps it), a Ctrl-C meant for us does not reach it, and it
    /// outlives `sandbox up`. `setsid` execs without forking here (a background job of a
    /// non-interactive shell is no group leader), so `$!` is the server's own pid.
    static func launch(_ instance: SandboxInstance) async throws(SandboxError) -> pid_t {
        try? FileManager.default.removeItem(atPath: instance.pidFile)
        let command = "setsid \(quoted(SandboxBinaries.mariadbd)) \(quoted("--defaults-file=" + instance.configFile)) "
            + "</dev/null >>\(quoted(instance.directory + "/stdout.log")) 2>&1 & echo $!"
        let output = try await ShellCommand.run("/bin/sh", ["-c", command])
        guard let pid = pid_t(output.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else {
            throw .startFailed(instance: instance.index, reason: "cannot read the server's pid from '\(output)'")
        }
        return pid
    }

    static func isAlive(_ pid: pid_t) -> Bool {
        (kill(pid, 0) == 0 || errno == EPERM) && !isZombie(pid)
    }

    /// Whether `pid` is a mariadbd started from this sandbox directory: pids are reused, and a
    /// sandbox must never signal anything it did not start.
    static func belongs(_ pid: pid_t, to directory: String) -> Bool {
        guard pid > 0, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        guard let program = arguments.first, program.hasSuffix("mariadbd") || program.hasSuffix("mysqld") else { return false }
        return arguments.contains { $0.contains(directory + "/") }
    }

    /// Sends `signal`, then waits up to `timeout` for the process to end; SIGKILL after that.
    static func stop(_ pid: pid_t, signal: Int32 = SIGTERM, timeout: Duration = .seconds(10)) async {
        guard isAlive(pid) else { return }
        kill(pid, signal)
        // A SIGSTOPped server would never act on SIGTERM.
        kill(pid, SIGCONT)
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while isAlive(pid), ContinuousClock.now < deadline {
            await pauseIgnoringCancellation(.milliseconds(20))
        }
        if isAlive(pid) {
            kill(pid, SIGKILL)
            let killDeadline = ContinuousClock.now.advanced(by: .seconds(10))
            while isAlive(pid), ContinuousClock.now < killDeadline { await pauseIgnoringCancellation(.milliseconds(20)) }
        }
    }

    /// `text` as one single-quoted shell word.
    private static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Until init reaps a dead server, it shows as a zombie: dead for our purposes.
    static func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// The pid in the server's pid file, if any.
    static func pidFromFile(_ instance: SandboxInstance) -> pid_t? {
        guard let text = try? String(contentsOfFile: instance.pidFile, encoding: .utf8) else { return nil }
        return pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func errorLogTail(_ instance: SandboxInstance) -> String {
        guard let text = try? String(contentsOfFile: instance.errorLog, encoding: .utf8) else { return "no error log" }
        return "error log: " + text.split(separator: "\n").suffix(5).joined(separator: " | ")
    }
}
