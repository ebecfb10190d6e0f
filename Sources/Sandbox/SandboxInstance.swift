import MySQLClient

/// One sandbox server and its files.
package struct SandboxInstance: Sendable, Codable, Equatable {
    package var index: Int
    package var port: Int
    package var masterIndex: Int?
    package var directory: String

    package var dataDir: String { directory + "/data" }
    package var socketPath: String { directory + "/mariadbd.sock" }
    package var pidFile: String { directory + "/mariadbd.pid" }
    package var errorLog: String { directory + "/error.log" }
    package var configFile: String { directory + "/my.cnf" }
    package var endpoint: MySQLEndpoint { MySQLEndpoint(host: "127.0.0.1", port: port) }

    /// Server settings: binary log with replica updates, ROW format, strict MariaDB GTID,
    /// report-host/port for SHOW SLAVE HOSTS, and small memory.
    func configuration(runAsRoot: Bool) -> String {
        var lines = [
            "[mariadbd]",
            "datadir=\(dataDir)", "socket=\(socketPath)", "pid-file=\(pidFile)", "log-error=\(errorLog)",
            "port=\(port)", "bind-address=127.0.0.1", "server-id=\(port)",
            "log-bin=mysql-bin", "relay-log=relay-bin", "log-slave-updates=1", "binlog-format=ROW",
            "gtid-strict-mode=1", "gtid-domain-id=0", "report-host=127.0.0.1", "report-port=\(port)",
            "skip-name-resolve", "performance-schema=OFF", "innodb-buffer-pool-size=16M", "innodb-log-file-size=8M",
            "innodb-log-buffer-size=1M", "key-buffer-size=1M", "max-connections=200", "table-open-cache=200",
            "innodb-flush-log-at-trx-commit=2", "sync-binlog=0", "skip-host-cache",
        ]
        if masterIndex != nil { lines.append("read-only=1") }
        if runAsRoot { lines.append("user=root") }
        return lines.joined(separator: "\n") + "\n"
    }
}
