import MySQLClient
import Topology

extension ReplicationOperations {
    /// Makes a master that lost its place read-only and ends every client session on it, so no
    /// write still in flight there (one waiting for a semi-sync acknowledgement, say) is
    /// acknowledged. Replication threads and the server's own threads are left alone; our own
    /// probes reconnect. Returns how many sessions were ended.
    ///
    /// `onlyIfWritable`: leave a server that is read-only already alone (answers `nil`).
    @discardableResult
    package func fenceDeposedMaster(_ key: InstanceKey, successor: InstanceKey, onlyIfWritable: Bool = false) async throws(OperationError) -> Int? {
        let operation = "fence-deposed-master"
        let ended = try await withConnection(key, operation, waitSeconds: 0) { connection throws(OperationError) -> Int? in
            if onlyIfWritable {
                let readOnly = try await Self.query(connection, key, operation, "SELECT @@global.read_only AS ro").first?.int("ro")
                if readOnly == 1 { return nil }
            }
            // Sessions first: `read_only = 1` waits for every transaction in commit, and one
            // waiting for a semi-sync acknowledgement from replicas that left would wait for
            // minutes. Then once more for whatever connected in between.
            var ended = try await Self.endClientSessions(connection, key, operation)
            try await Self.run(connection, key, operation, "SET GLOBAL read_only = 1")
            ended += try await Self.endClientSessions(connection, key, operation)
            return ended
        }
        guard let ended else { return nil }
        await audit(operation, key, "read_only=1 and \(ended) client sessions ended: replaced by \(successor) in a recovery")
        return ended
    }

    /// Ends every session but this one, the replication threads and the server's own.
    private static func endClientSessions(_ connection: MySQLConnection, _ key: InstanceKey, _ operation: String) async throws(OperationError) -> Int {
        // `SHOW PROCESSLIST` rather than `information_schema.PROCESSLIST`, which needs an on-disk
        // temporary table (see `InstanceProbe.readReplicas`).
        let own = try await query(connection, key, operation, "SELECT CONNECTION_ID() AS id").first?.int("id")
        let serverThreads: Set<String> = ["Binlog Dump", "Binlog Dump GTID", "Daemon", "Slave_IO", "Slave_SQL", "Slave_worker"]
        let sessions = try await query(connection, key, operation, "SHOW PROCESSLIST").filter { row in
            row.int("Id") != own && !serverThreads.contains(row.string("Command"))
                && !["system user", "event_scheduler"].contains(row.string("User"))
        }
        var ended = 0
        for id in sessions.compactMap({ $0.int("Id") }) {
            // A session that ended meanwhile is not an error.
            if (try? await connection.execute("KILL CONNECTION \(id)")) != nil { ended += 1 }
        }
        return ended
    }
}
