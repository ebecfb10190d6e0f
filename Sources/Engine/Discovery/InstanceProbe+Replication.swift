import Foundation
import MySQLClient
import Topology

extension InstanceProbe {
    /// `SHOW SLAVE STATUS`: no row means not a replica; with several rows the last one wins, as in orchestrator.
    func readSlaveStatus(_ connection: MySQLConnection, into instance: inout Instance) async throws {
        guard let row = try await connection.query("SHOW SLAVE STATUS").last else { return }
        instance.masterKey = InstanceKey(hostname: unresolves.host(named: row.string("Master_Host")), port: Int(row.int("Master_Port") ?? 0))
        instance.hasReplicationCredentials = !row.string("Master_User").isEmpty
        instance.ioThreadState = ReplicationThreadState(slaveStatusText: row.string("Slave_IO_Running"))
        instance.sqlThreadState = ReplicationThreadState(slaveStatusText: row.string("Slave_SQL_Running"))
        instance.readBinlogCoordinates = BinlogCoordinates(logFile: row.string("Master_Log_File"), logPos: row.int("Read_Master_Log_Pos") ?? 0)
        instance.execBinlogCoordinates = BinlogCoordinates(logFile: row.string("Relay_Master_Log_File"), logPos: row.int("Exec_Master_Log_Pos") ?? 0)
        instance.relaylogCoordinates = BinlogCoordinates(logFile: row.string("Relay_Log_File"), logPos: row.int("Relay_Log_Pos") ?? 0, type: .relay)
        instance.lastSQLError = row.string("Last_SQL_Error")
        instance.lastIOError = row.string("Last_IO_Error")
        instance.lastSQLErrno = row.int("Last_SQL_Errno") ?? 0
        instance.lastIOErrno = row.int("Last_IO_Errno") ?? 0
        instance.sqlDelay = row.int("SQL_Delay") ?? 0
        instance.usingOracleGTID = (row.int("Auto_Position") ?? 0) == 1
        instance.usingMariaDBGTID = (row["Using_Gtid"] ?? "No").lowercased() != "no"
        instance.masterUUID = row["Master_UUID"] ?? "No"
        instance.receivedGtids = row["Gtid_IO_Pos"] ?? row["Retrieved_Gtid_Set"]
        instance.allowTLS = row.string("Master_SSL_Allowed") == "Yes"
        let filters = ["Replicate_Do_DB", "Replicate_Ignore_DB", "Replicate_Do_Table", "Replicate_Ignore_Table",
                       "Replicate_Wild_Do_Table", "Replicate_Wild_Ignore_Table"]
        instance.hasReplicationFilters = filters.contains { !row.string($0).isEmpty }
        if let behind = row.int("Seconds_Behind_Master") {
            instance.secondsBehindMaster = max(0, behind)
        }
        instance.replicationLagSeconds = instance.secondsBehindMaster
    }

    /// Direct replicas: `SHOW SLAVE HOSTS` (needs `report_host`), else binlog dump threads in the
    /// processlist, whose replicas are assumed to listen on this server's port (orchestrator's rule).
    func readReplicas(_ connection: MySQLConnection, port: Int) async throws -> [InstanceKey] {
        var found: Set<InstanceKey> = []
        if configuration.discoverByShowSlaveHosts {
            for row in try await connection.query("SHOW SLAVE HOSTS") {
                let host = row.string("Host")
                let replicaPort = Int(row.int("Port") ?? 0)
                if !host.isEmpty, replicaPort > 0 { found.insert(InstanceKey(hostname: host, port: replicaPort)) }
            }
        }
        if found.isEmpty {
            // `SHOW PROCESSLIST`, not `information_schema.PROCESSLIST`: the latter materializes
            // an on-disk (Aria) temporary table on every probe of every server, and MariaDB 10.11
            // was seen to crash (`ha_maria::drop_table`) under that load.
            for row in try await connection.query("SHOW PROCESSLIST") where ["Binlog Dump", "Binlog Dump GTID"].contains(row.string("Command")) {
                let host = row.string("Host").split(separator: ":").first.map(String.init) ?? ""
                if !host.isEmpty { found.insert(InstanceKey(hostname: host, port: port)) }
            }
        }
        return found.sorted()
    }

    /// The configurable one-value queries; a failure keeps the previous value and is only logged.
    func runDetectionQueries(_ connection: MySQLConnection, into instance: inout Instance) async {
        if let value = await singleValue(configuration.detectDataCenterQuery, connection, instance.key) { instance.dataCenter = value }
        if let value = await singleValue(configuration.detectRegionQuery, connection, instance.key) { instance.region = value }
        if let value = await singleValue(configuration.detectPhysicalEnvironmentQuery, connection, instance.key) { instance.physicalEnvironment = value }
        if let value = await singleValue(configuration.detectInstanceAliasQuery, connection, instance.key) { instance.instanceAlias = value }
        if !instance.isReplica, let value = await singleValue(configuration.detectClusterAliasQuery, connection, instance.key) {
            instance.suggestedClusterAlias = value
        }
        if let value = await singleValue(configuration.replicationLagQuery, connection, instance.key) {
            instance.replicationLagSeconds = Int64(value).map { max(0, $0) }
        }
        if let value = await singleValue(configuration.detectPromotionRuleQuery, connection, instance.key) {
            if let rule = PromotionRule(rawValue: value.trimmingCharacters(in: .whitespaces).lowercased()) {
                instance.promotionRule = rule
            } else {
                logger.warning("DetectPromotionRuleQuery answered an unknown promotion rule; keeping the previous one", metadata: [
                    "instance": "\(instance.key)", "answer": "\(value)", "rule": "\(instance.promotionRule.rawValue)",
                ])
            }
        }
    }

    private func singleValue(_ query: String, _ connection: MySQLConnection, _ key: InstanceKey) async -> String? {
        guard !query.isEmpty else { return nil }
        do {
            return try await connection.query(query).first?[index: 0] ?? ""
        } catch {
            logger.warning("detection query failed", metadata: ["instance": "\(key)", "query": "\(query)", "error": "\(error)"])
            return nil
        }
    }
}
