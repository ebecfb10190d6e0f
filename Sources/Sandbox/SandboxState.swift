import Foundation

/// `DIR/sandbox.json`: enough for another process (`sandbox status`, `sandbox down`, the next
/// `sandbox up` after a crash) to find the servers and stop exactly them.
struct SandboxState: Codable, Equatable {
    struct Server: Codable, Equatable {
        var index: Int
        var port: Int
        var masterIndex: Int?
        var pid: pid_t?
    }

    var basePort: Int
    var topology: String
    var instances: [Server]

    static func path(in directory: String) -> String { directory + "/sandbox.json" }

    static func read(from directory: String) throws(SandboxError) -> SandboxState {
        guard let data = FileManager.default.contents(atPath: path(in: directory)) else {
            throw .state("no sandbox in \(directory) (missing sandbox.json)")
        }
        do {
            return try JSONDecoder().decode(SandboxState.self, from: data)
        } catch {
            throw .state("unreadable \(path(in: directory)): \(error)")
        }
    }

    func write(to directory: String) throws(SandboxError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: Self.path(in: directory)), options: .atomic)
        } catch {
            throw .state("cannot write \(Self.path(in: directory)): \(error)")
        }
    }

    /// Stops whatever a crashed run left running in `directory` and removes the directory.
    /// Only processes whose command line names this directory are signalled.
    static func removeLeftovers(in directory: String) async {
        guard FileManager.default.fileExists(atPath: directory) else { return }
        var pids = Set((try? read(from: directory))?.instances.compactMap(\.pid) ?? [])
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            let pidFile = "\(directory)/\(entry)/mariadbd.pid"
            if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
               let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                pids.insert(pid)
            }
        }
        await withTaskGroup(of: Void.self) { group in
            for pid in pids where SandboxProcess.belongs(pid, to: directory) {
                // The data is about to be deleted: no point in a clean shutdown.
                group.addTask { await SandboxProcess.stop(pid, signal: SIGKILL) }
            }
        }
        try? await ShellCommand.removeDirectory(directory)
    }
}
