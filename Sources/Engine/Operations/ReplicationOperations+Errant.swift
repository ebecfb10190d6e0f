import Foundation
import MySQLClient
import Topology

/// Statements of the errant-GTID tools.
extension ReplicationOperations {
    /// Each binary log with the GTID state at its start (MariaDB `BINLOG_GTID_POS`, MySQL the
    /// log's `Previous_gtids` event).
    package func binaryLogStarts(_ key: InstanceKey, mariaDB: Bool) async throws(OperationError) -> [ErrantGTIDRepair.LogStart] {
        let operation = "read-binary-log-starts"
        return try await withConnection(key, operation, waitSeconds: 0) { connection throws(OperationError) in
            var starts: [ErrantGTIDRepair.LogStart] = []
            for row in try await Self.query(connection, key, operation, "SHOW BINARY LOGS") {
                let file = row.string("Log_name")
                if mariaDB {
                    let state = try await Self.query(connection, key, operation, "SELECT BINLOG_GTID_POS('\(file.sqlEscaped)', 4) AS pos").first?.string("pos")
                    starts.append(ErrantGTIDRepair.LogStart(file: file, state: state ?? ""))
                } else {
                    let events = try await Self.query(connection, key, operation, "SHOW BINLOG EVENTS IN '\(file.sqlEscaped)' LIMIT 2")
                    let previous = events.first { $0.string("Event_type") == "Previous_gtids" }?.string("Info") ?? ""
                    starts.append(ErrantGTIDRepair.LogStart(file: file, state: previous.replacingOccurrences(of: "\n", with: "")))
                }
            }
            return starts
        }
    }

    /// Runs `statements` in one session (MySQL's `GTID_NEXT` holds per session).
    package func injectEmptyTransactions(_ key: InstanceKey, statements: [String], count: UInt64) async throws(OperationError) {
        try await change(key, "gtid-errant-inject-empty", statements, audit: "injected \(count) empty transactions")
    }

    /// Clears the server's binary logs and their GTID state while keeping its replication
    /// position: MariaDB keeps it in `gtid_slave_pos`; MySQL gets `gtid_purged` = what it
    /// executed minus `mysqlErrant`, computed in the same session once replication stopped, so
    /// nothing applied meanwhile is fetched again.
    package func resetBinaryLogs(_ key: InstanceKey, mysqlErrant: String?) async throws(OperationError) {
        var statements = ["STOP SLAVE"]
        if let mysqlErrant {
            statements += [
                "SET @orchestrator_keep = GTID_SUBTRACT(@@GLOBAL.gtid_executed, '\(mysqlErrant.sqlEscaped)')",
                "RESET MASTER", "SET GLOBAL gtid_purged = @orchestrator_keep",
            ]
        } else {
            statements.append("RESET MASTER")
        }
        statements.append("START SLAVE")
        try await change(key, "gtid-errant-reset-master", statements, audit: "binary logs reset to drop errant GTIDs")
    }
}
