import Foundation

/// Starting and stopping one mariadbd, always by pid.
enum SandboxProcess {
    /// Starts mariadbd in its own session (so a Ctrl-C meant for us does not reach it and it
    /// outlives `sandbox up`), then waits for its pid file.
    static func launch(_ instance: SandboxInstance) async throws(SandboxError) -> pid_t {
        try? FileManager.default.removeItem(atPath: instance.pidFile)
        let command = "setsid \(SandboxBinaries.mariadbd) --defaults-file=\(instance.configFile) </dev/null >>\(instance.directory)/stdout.log 2>&1 &"
        try await ShellCommand.run("/bin/sh", ["-c", command])
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: instance.pidFile, encoding: .utf8),
               let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 {
                return pid
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        throw .startFailed(instance: instance.index, reason: "no pid file after 30 s; \(errorLogTail(instance))")
    }

    static func isAlive(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// Whether `pid` is a mariadbd of this sandbox directory (guards against reused pids).
    static func belongs(_ pid: pid_t, to directory: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        return String(decoding: data, as: UTF8.self).contains(directory)
    }

    /// Sends `signal`, then waits up to `timeout` for the process to end; SIGKILL after that.
    static func stop(_ pid: pid_t, signal: Int32 = SIGTERM, timeout: Duration = .seconds(10)) async {
        guard isAlive(pid) else { return }
        kill(pid, signal)
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while isAlive(pid), !isZombie(pid), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if isAlive(pid), !isZombie(pid) {
            kill(pid, SIGKILL)
            while isAlive(pid), !isZombie(pid) { try? await Task.sleep(for: .milliseconds(20)) }
        }
    }

    /// A detached server's parent is init, which reaps it; until then it shows as a zombie.
    static func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    static func errorLogTail(_ instance: SandboxInstance) -> String {
        guard let text = try? String(contentsOfFile: instance.errorLog, encoding: .utf8) else { return "no error log" }
        return "error log: " + text.split(separator: "\n").suffix(5).joined(separator: " | ")
    }
}
