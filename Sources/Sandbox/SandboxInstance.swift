import MySQLClient

/// One sandbox server and its files, all under `directory` (`DIR/<index>`).
package struct SandboxInstance: Sendable, Codable, Equatable {
    package var index: Int
    package var port: Int
    package var masterIndex: Int?
    package var directory: String

    package init(index: Int, port: Int, masterIndex: Int?, directory: String) {
        self.index = index
        self.port = port
        self.masterIndex = masterIndex
        self.directory = directory
    }

    package var dataDir: String { directory + "/data" }
    package var socketPath: String { directory + "/mariadbd.sock" }
    package var pidFile: String { directory + "/mariadbd.pid" }
    package var errorLog: String { directory + "/error.log" }
    package var configFile: String { directory + "/my.cnf" }
    package var endpoint: MySQLEndpoint { MySQLEndpoint(host: "127.0.0.1", port: port) }
    package var isReplica: Bool { masterIndex != nil }

    static let innodbLogFileSize = "4M"
    static let innodbBufferPoolSize = "8M"

    /// Server settings: binary log with replica updates, ROW format, strict MariaDB GTID,
    /// report-host/port for SHOW SLAVE HOSTS, and as little memory as a test server needs.
    /// Read with `--defaults-file`, so nothing from /etc/mysql leaks in.
    func configuration(runAsRoot: Bool, binaryLog: Bool = true, tls: SandboxTLS? = nil) -> String {
        var lines = [
            "[mariadbd]",
            "datadir=\(dataDir)", "socket=\(socketPath)", "pid-file=\(pidFile)", "log-error=\(errorLog)",
            "port=\(port)", "bind-address=127.0.0.1", "server-id=\(port)",
            "log-bin=mysql-bin", "relay-log=relay-bin", "log-slave-updates=1", "binlog-format=ROW",
            "gtid-strict-mode=1", "gtid-domain-id=0", "report-host=127.0.0.1", "report-port=\(port)",
            "skip-name-resolve", "performance-schema=OFF",
            "innodb-buffer-pool-size=\(Self.innodbBufferPoolSize)", "innodb-log-file-size=\(Self.innodbLogFileSize)",
            "innodb-log-buffer-size=2M", "key-buffer-size=1M", "aria-pagecache-buffer-size=1M",
            "max-connections=200", "table-open-cache=200", "table-definition-cache=400",
            // Durability is not the point of a sandbox; start-up and writes are.
            "innodb-flush-log-at-trx-commit=2", "sync-binlog=0",
        ]
        if !binaryLog { lines.removeAll { $0.hasPrefix("log-bin=") || $0.hasPrefix("log-slave-updates=") } }
        if masterIndex != nil { lines.append("read-only=1") }
        if runAsRoot { lines.append("user=root") }
        if let tls { lines += tls.configurationLines }
        return lines.joined(separator: "\n") + "\n"
    }
}
