import Foundation
import MySQLClient
import Sandbox

/// What the tests read from sandbox servers and processes.
enum SandboxProbe {
    static func value(_ sql: String, on sandbox: Sandbox, _ index: Int) async throws -> String {
        let connection = try await sandbox.connect(index)
        let result = await Result(catching: { try await connection.query(sql).first?[index: 0] ?? "" })
        await connection.close()
        return try result.get()
    }

    /// Whether both replication threads run; false when the server cannot be reached.
    static func isReplicating(_ sandbox: Sandbox, _ index: Int) async -> Bool {
        guard let connection = try? await sandbox.connect(index) else { return false }
        let row = try? await connection.query("SHOW SLAVE STATUS").first
        await connection.close()
        return row?.string("Slave_IO_Running") == "Yes" && row?.string("Slave_SQL_Running") == "Yes"
    }

    /// Whether `replica` has applied everything `master` has written.
    static func hasCaughtUp(_ sandbox: Sandbox, replica: Int, master: Int) async -> Bool {
        guard let written = try? await value("SELECT @@global.gtid_binlog_pos", on: sandbox, master),
              let applied = try? await value("SELECT @@global.gtid_slave_pos", on: sandbox, replica) else { return false }
        return !written.isEmpty && written == applied
    }

    /// Gone, or dead and waiting for init to reap it.
    static func isGone(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return true }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
