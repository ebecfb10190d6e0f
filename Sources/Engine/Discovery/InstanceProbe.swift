import Foundation
import Logging
import MySQLClient
import Topology

/// Reads one server into one `Instance` value. The only code that queries servers for state.
package struct InstanceProbe: Sendable {
    package let configuration: DiscoveryConfiguration
    package let connections: ConnectionCache
    let logger: Logger
    /// Virtual names a replica's `Master_Host` may give for its master.
    package let unresolves: HostnameUnresolves
    let metrics: EngineMetrics

    package init(
        configuration: DiscoveryConfiguration, connections: ConnectionCache, unresolves: HostnameUnresolves = HostnameUnresolves(),
        logger: Logger, metrics: EngineMetrics = .none
    ) {
        self.unresolves = unresolves
        self.configuration = configuration
        self.connections = connections
        self.logger = logger
        self.metrics = metrics
    }

    /// Probes `key`. `previous` (the last known state) carries forward the facts that optional
    /// queries failed to refresh and tells which flavour of queries to send.
    /// Every probe (poll, crawl, urgent check, refresh) passes here and is counted once, retry included.
    package func probe(_ key: InstanceKey, previous: Instance? = nil) async throws(ProbeError) -> Instance {
        let started = ContinuousClock.now
        do {
            let instance = try await probeWithRetry(key, previous: previous, started: started)
            metrics.probe(result: .ok, duration: ContinuousClock.now - started)
            return instance
        } catch {
            metrics.probe(result: error.result, duration: ContinuousClock.now - started)
            throw error
        }
    }

    private func probeWithRetry(_ key: InstanceKey, previous: Instance?, started: ContinuousClock.Instant) async throws(ProbeError) -> Instance {
        let reused = await connections.isCached(key)
        do {
            return try await read(key, previous: previous, freshConnection: false, started: started)
        } catch let error where reused && !error.partialSuccess && error.underlying.isConnectionFailure {
            // A cached connection may have died with a server restart: one retry on a new one.
            return try await read(key, previous: previous, freshConnection: true, started: started)
        }
    }

    private func read(_ key: InstanceKey, previous: Instance?, freshConnection: Bool, started: ContinuousClock.Instant) async throws(ProbeError) -> Instance {
        var partialSuccess = false
        do {
            let connection = try await connections.connection(for: key, fresh: freshConnection)
            var instance = Instance(key: key)
            instance.unresolvedHostname = unresolves.virtualName(of: key.hostname)
            carryForward(from: previous, into: &instance)
            try await readGlobals(connection, into: &instance, assumeMariaDB: previous?.isMariaDB ?? false)
            partialSuccess = true
            try await readStatusAndSemiSync(connection, into: &instance)
            if instance.logBinEnabled {
                if let row = try await connection.query("SHOW MASTER STATUS").first {
                    instance.selfBinlogCoordinates = BinlogCoordinates(logFile: row.string("File"), logPos: row.int("Position") ?? 0)
                }
            }
            try await readSlaveStatus(connection, into: &instance)
            if instance.isReplica {
                instance.receipt?.masterKey = instance.masterKey
                instance.receipt?.readCoordinates = instance.readBinlogCoordinates
            } else {
                instance.receipt = nil
            }
            instance.replicas = try await readReplicas(connection, port: key.port)
            await runDetectionQueries(connection, into: &instance)
            instance.lastDiscoveryLatencyNanoseconds = (ContinuousClock.now - started).wholeNanoseconds
            return instance
        } catch let error as MySQLError {
            if error.isConnectionFailure { await connections.drop(key) }
            throw ProbeError(key: key, underlying: error, partialSuccess: partialSuccess)
        } catch {
            await connections.drop(key)
            throw ProbeError(key: key, underlying: MySQLError(code: 0, sqlState: "HY000", message: "\(error)", endpoint: nil), partialSuccess: partialSuccess)
        }
    }

    /// Facts that only optional queries refresh keep their last known value when those fail.
    private func carryForward(from previous: Instance?, into instance: inout Instance) {
        guard let previous else { return }
        instance.dataCenter = previous.dataCenter
        instance.region = previous.region
        instance.physicalEnvironment = previous.physicalEnvironment
        instance.instanceAlias = previous.instanceAlias
        instance.suggestedClusterAlias = previous.suggestedClusterAlias
        instance.promotionRule = previous.promotionRule
    }

    private func readGlobals(_ connection: MySQLConnection, into instance: inout Instance, assumeMariaDB: Bool) async throws {
        let common = "@@global.server_id AS server_id, @@global.version AS version, @@global.version_comment AS version_comment, "
            + "@@global.read_only AS read_only, @@global.binlog_format AS binlog_format, @@global.log_bin AS log_bin, "
            + "@@global.log_slave_updates AS log_slave_updates"
        let mariaDB = "@@global.gtid_current_pos AS gtid_current_pos, @@global.gtid_slave_pos AS gtid_slave_pos, "
            + "@@global.gtid_binlog_pos AS gtid_binlog_pos, @@global.gtid_domain_id AS gtid_domain_id, "
            + "@@global.gtid_binlog_state AS gtid_binlog_state"
        var row: MySQLRow?
        if assumeMariaDB {
            // One round trip instead of two once we know the flavour; falls back if it changed.
            row = try? await connection.query("SELECT \(common), \(mariaDB)").first
        }
        if row == nil {
            row = try await connection.query("SELECT \(common)").first
        }
        guard let row else { throw MySQLError(code: 0, sqlState: "HY000", message: "global variables query returned no row", endpoint: connection.endpoint) }
        instance.serverID = row.int("server_id") ?? 0
        instance.version = row.string("version")
        instance.versionComment = row.string("version_comment")
        instance.readOnly = row.bool("read_only")
        instance.binlogFormat = row.string("binlog_format")
        instance.logBinEnabled = row.bool("log_bin")
        instance.logReplicationUpdatesEnabled = row.bool("log_slave_updates")
        if instance.isMariaDB {
            let gtids = row.has("gtid_current_pos") ? row : try await connection.query("SELECT \(mariaDB)").first
            instance.gtidCurrentPos = gtids?.string("gtid_current_pos") ?? ""
            instance.gtidSlavePos = gtids?.string("gtid_slave_pos") ?? ""
            instance.gtidBinlogPos = gtids?.string("gtid_binlog_pos") ?? ""
            instance.gtidDomainID = gtids?.int("gtid_domain_id") ?? 0
            instance.gtidBinlogState = gtids?.string("gtid_binlog_state")
        } else if let mysql = try? await connection.query(
            "SELECT @@global.gtid_mode AS gtid_mode, @@global.server_uuid AS server_uuid, @@global.gtid_executed AS gtid_executed, "
                + "@@global.gtid_purged AS gtid_purged, @@global.binlog_row_image AS binlog_row_image"
        ).first {
            // Oracle MySQL / Percona; absent on very old servers, which simply have no GTID facts.
            instance.gtidMode = mysql.string("gtid_mode")
            instance.serverUUID = mysql.string("server_uuid")
            instance.executedGtidSet = mysql.string("gtid_executed")
            instance.gtidPurged = mysql.string("gtid_purged")
            instance.binlogRowImage = mysql.string("binlog_row_image")
        }
    }

    private func readStatusAndSemiSync(_ connection: MySQLConnection, into instance: inout Instance) async throws {
        let status = try await connection.query(
            "SHOW GLOBAL STATUS WHERE Variable_name IN ('Uptime', 'Rpl_semi_sync_master_status', 'Rpl_semi_sync_master_clients', "
                + "'Rpl_semi_sync_slave_status', 'Slave_received_heartbeats', 'Slave_heartbeat_period')"
        )
        var heartbeats: Int64?
        var heartbeatPeriod: Double?
        defer {
            // Completed with the master and read position by `readSlaveStatus`; the registry
            // stamps when it was first and last seen.
            if let heartbeats, let heartbeatPeriod {
                instance.receipt = ReplicationReceipt(
                    heartbeats: heartbeats, heartbeatPeriod: heartbeatPeriod, masterKey: instance.masterKey,
                    readCoordinates: instance.readBinlogCoordinates, unchangedSince: .distantPast, unchangedThrough: .distantPast
                )
            }
        }
        for row in status {
            let value = row.string("Value")
            switch row.string("Variable_name") {
            case "Uptime": instance.uptime = Int64(value) ?? 0
            case "Slave_received_heartbeats": heartbeats = Int64(value)
            case "Slave_heartbeat_period": heartbeatPeriod = Double(value)
            case "Rpl_semi_sync_master_status": instance.semiSyncMasterStatus = value == "ON"
            case "Rpl_semi_sync_master_clients": instance.semiSyncMasterClients = Int64(value) ?? 0
            case "Rpl_semi_sync_slave_status": instance.semiSyncReplicaStatus = value == "ON"
            default: break
            }
        }
        var hasMasterPlugin = false
        var hasReplicaPlugin = false
        for row in try await connection.query("SHOW GLOBAL VARIABLES LIKE 'rpl_semi_sync_%'") {
            let value = row.string("Value")
            switch row.string("Variable_name") {
            case "rpl_semi_sync_master_enabled": instance.semiSyncMasterEnabled = value == "ON"; hasMasterPlugin = true
            case "rpl_semi_sync_master_timeout": instance.semiSyncMasterTimeout = Int64(value) ?? 0
            case "rpl_semi_sync_master_wait_for_slave_count": instance.semiSyncMasterWaitForReplicaCount = Int64(value) ?? 0
            case "rpl_semi_sync_slave_enabled": instance.semiSyncReplicaEnabled = value == "ON"; hasReplicaPlugin = true
            default: break
            }
        }
        instance.semiSyncAvailable = hasMasterPlugin && hasReplicaPlugin
    }
}
