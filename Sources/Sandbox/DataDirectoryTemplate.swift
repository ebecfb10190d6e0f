import Foundation

/// A freshly initialised MariaDB data directory, made once per machine and MariaDB version and
/// copied for every instance: `mariadb-install-db` costs seconds, a copy milliseconds.
enum DataDirectoryTemplate {
    /// Bump when the install options change, so an old template is not reused.
    private static let layout = "v2"

    static func path() async throws(SandboxError) -> String {
        let version = try await ShellCommand.run(SandboxBinaries.mariadbd, ["--version"])
            .split(separator: " ").dropFirst(2).first.map(String.init) ?? "unknown"
        let template = "/tmp/orchestrator-sandbox-template-\(version)-\(layout)"
        if FileManager.default.fileExists(atPath: template + "/mysql") { return template }
        // One builder at a time, across tasks and processes (concurrent bootstraps fail);
        // the others wait and then find the template made.
        let lock = try await FileLock.acquire(template + ".lock")
        defer { lock.release() }
        if FileManager.default.fileExists(atPath: template + "/mysql") { return template }
        // Build beside, then rename: nobody ever sees a half-made template.
        let building = template + ".building-\(getpid())-\(UUID().uuidString.prefix(8))"
        var arguments = [
            "--no-defaults", "--datadir=\(building)", "--auth-root-authentication-method=normal", "--skip-test-db",
            // IP-only grant entries: no "ignored in --skip-name-resolve mode" warnings later.
            "--skip-name-resolve",
            // The redo log is created here at this size; the servers must use the same size or
            // they rebuild it at every first start (the 96 MB default would also be copied).
            "--innodb-log-file-size=\(SandboxInstance.innodbLogFileSize)",
            "--innodb-buffer-pool-size=\(SandboxInstance.innodbBufferPoolSize)",
        ]
        if getuid() == 0 { arguments.append("--user=root") }
        do {
            try await ShellCommand.run(SandboxBinaries.installDB, arguments)
        } catch {
            try? FileManager.default.removeItem(atPath: building)
            throw error
        }
        if rename(building, template) != 0 {
            // Someone else won the race; theirs is as good as ours.
            try? FileManager.default.removeItem(atPath: building)
        }
        guard FileManager.default.fileExists(atPath: template + "/mysql") else {
            throw .command("mariadb-install-db did not create \(template)")
        }
        return template
    }
}

/// Where the MariaDB programs are.
enum SandboxBinaries {
    static let mariadbd = ["/usr/sbin/mariadbd", "/usr/bin/mariadbd", "/usr/sbin/mysqld"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    } ?? "/usr/sbin/mariadbd"
    static let installDB = ["/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    } ?? "/usr/bin/mariadb-install-db"
}
