import Foundation
import Topology

/// Replication control on one instance (`refactoring.md` §4.14–4.17): each checks the instance
/// is in a state the statement makes sense for, runs it, re-probes and audits.
extension TopologyRefactorer {
    package enum ReplicaControl: String, Sendable, CaseIterable {
        case start = "start-replica"
        case stop = "stop-replica"
        case stopNicely = "stop-replica-nice"
        case restart = "restart-replica"
        case reset = "reset-replica"
        case skipQuery = "skip-query"
        case detachMasterHost = "detach-replica-master-host"
        case reattachMasterHost = "reattach-replica-master-host"
    }

    package func control(_ action: ReplicaControl, _ key: InstanceKey) async throws(RefactoringError) -> Instance {
        let ops = operations
        return try await audited(action.rawValue, key, success: { (_: Instance) in "\(action.rawValue) done" }) { () throws(RefactoringError) in
            let instance = try await refreshed(key)
            guard instance.isLastCheckValid else { throw .invalid("cannot \(action.rawValue) on \(key): it cannot be reached: \(instance.lastProbeError)") }
            guard instance.masterKey.port != 0 else { throw .invalid("cannot \(action.rawValue) on \(key): it is not a replica") }
            switch action {
            case .start:
                try await operation { () throws(OperationError) in try await ops.startReplication(key) }
            case .stop:
                try await operation { () throws(OperationError) in try await ops.stopReplication(key) }
            case .stopNicely:
                try await operation { () throws(OperationError) in try await ops.stopReplicationNicely(key, isDelayed: instance.sqlDelay > 0) }
            case .restart:
                try await operation { () throws(OperationError) in
                    try await ops.stopReplication(key)
                    try await ops.startReplication(key)
                }
            case .reset:
                try await withMaintenanceLocks([(key, "reset replica")]) { () throws(RefactoringError) in
                    try await operation { () throws(OperationError) in try await ops.resetReplication(key) }
                }
            case .skipQuery:
                guard !instance.sqlThreadState.isRunning, !instance.lastSQLError.isEmpty else {
                    throw .invalid("cannot skip a query on \(key): its SQL thread is not stopped on an error")
                }
                guard !instance.usingOracleGTID else {
                    throw .invalid("cannot skip a query on \(key): with MySQL GTID auto-positioning, inject an empty transaction for the failing GTID instead")
                }
                try await operation { () throws(OperationError) in try await ops.skipQuery(key) }
            case .detachMasterHost:
                guard !instance.isDetachedMaster else { throw .invalid("\(key) is already detached from its master") }
                try await withMaintenanceLocks([(key, "detach replica")]) { () throws(RefactoringError) in
                    try await operation { () throws(OperationError) in try await ops.detach(key, from: instance.masterKey) }
                }
            case .reattachMasterHost:
                guard instance.isDetachedMaster else { throw .invalid("\(key) is not detached from its master") }
                let master = InstanceKey(hostname: String(instance.masterKey.hostname.dropFirst(2)), port: instance.masterKey.port)
                try await withMaintenanceLocks([(key, "reattach replica")]) { () throws(RefactoringError) in
                    try await operation { () throws(OperationError) in try await ops.reattach(key, to: master) }
                }
            }
            return try await refreshed(key)
        }
    }

    package enum ServerSetting: Sendable, Equatable {
        case readOnly(Bool)
        case semiSyncMaster(Bool)
        case semiSyncReplica(Bool)
        case replicationDelay(seconds: Int)
        case flushBinaryLogs

        var auditType: String {
            switch self {
            case let .readOnly(on): on ? "set-read-only" : "set-writeable"
            case let .semiSyncMaster(on): on ? "enable-semi-sync-master" : "disable-semi-sync-master"
            case let .semiSyncReplica(on): on ? "enable-semi-sync-replica" : "disable-semi-sync-replica"
            case .replicationDelay: "delay-replication"
            case .flushBinaryLogs: "flush-binary-logs"
            }
        }
    }

    package func apply(_ setting: ServerSetting, on key: InstanceKey) async throws(RefactoringError) -> Instance {
        let ops = operations
        return try await audited(setting.auditType, key, success: { (_: Instance) in "\(setting.auditType) done" }) { () throws(RefactoringError) in
            let instance = try await refreshed(key)
            guard instance.isLastCheckValid else { throw .invalid("cannot \(setting.auditType) on \(key): it cannot be reached: \(instance.lastProbeError)") }
            switch setting {
            case let .readOnly(on):
                try await operation { () throws(OperationError) in try await ops.setReadOnly(key, on) }
            case let .semiSyncMaster(on):
                try await operation { () throws(OperationError) in try await ops.setSemiSync(key, master: true, enabled: on) }
            case let .semiSyncReplica(on):
                try await operation { () throws(OperationError) in try await ops.setSemiSync(key, master: false, enabled: on) }
            case let .replicationDelay(seconds):
                guard instance.masterKey.port != 0 else { throw .invalid("cannot delay replication on \(key): it is not a replica") }
                guard seconds >= 0 else { throw .invalid("Invalid value provided for seconds: \(seconds)") }
                try await operation { () throws(OperationError) in try await ops.delayReplication(key, seconds: seconds) }
            case .flushBinaryLogs:
                guard instance.logBinEnabled else { throw .invalid("cannot flush binary logs on \(key): it has no binary log") }
                try await operation { () throws(OperationError) in try await ops.flushBinaryLogs(key) }
            }
            return try await refreshed(key)
        }
    }

    /// `purge-binary-logs`: purges the logs before `logFile` (or before the current one for
    /// `latest`). Refused while a replica still reads an older log, unless `force`.
    package func purgeBinaryLogs(_ key: InstanceKey, to logFile: String, force: Bool) async throws(RefactoringError) -> Instance {
        let ops = operations
        return try await audited("purge-binary-logs", key, success: { (_: Instance) in "purged binary logs before \(logFile)" }) { () throws(RefactoringError) in
            let snapshot = try await freshSnapshot(probing: [key] + (await registry.replicas(of: key).map(\.key)))
            guard let instance = snapshot[key], instance.logBinEnabled else { throw .invalid("cannot purge binary logs on \(key): it has no binary log") }
            let target = logFile == "latest" ? instance.selfBinlogCoordinates.logFile : logFile
            let logs: [String]
            do throws(OperationError) { logs = try await ops.binaryLogs(key) } catch { throw .failed(error) }
            guard logs.contains(target) else { throw .invalid("cannot purge binary logs on \(key): it has no binary log \(target)") }
            if !force {
                // What a replica applied, not only what it received: a relay log lost in a crash is
                // fetched again from there. A log of another series cannot be compared: kept.
                let needing = snapshot.replicas(of: key).filter { replica in
                    let applied = replica.execBinlogCoordinates.isEmpty ? replica.readBinlogCoordinates : replica.execBinlogCoordinates
                    return BinlogCoordinates(logFile: applied.logFile).compare(to: BinlogCoordinates(logFile: target)) != .greater
                        && applied.logFile != target
                }
                guard needing.isEmpty else {
                    let names = needing.map { "\($0.key) still needs \($0.execBinlogCoordinates.isEmpty ? $0.readBinlogCoordinates.logFile : $0.execBinlogCoordinates.logFile)" }
                        .joined(separator: "; ")
                    throw .refused(RefactoringRefusal(operation: .purgeBinaryLogs(key, to: target), reasons: [names]))
                }
            }
            try await operation { () throws(OperationError) in try await ops.purgeBinaryLogs(key, to: target) }
            return try await refreshed(key)
        }
    }

    /// `restart-replica-statements`: what to run around `query` so the replica's threads end
    /// as they were (computed, not run).
    package func restartReplicaStatements(_ key: InstanceKey, query: String) async throws(RefactoringError) -> [String] {
        let instance = try await refreshed(key)
        let statement = query.isEmpty || query.hasSuffix(";") ? query : query + ";"
        let body = statement.isEmpty ? [] : [statement]
        guard instance.masterKey.port != 0 else { return body }
        let io = instance.ioThreadState.isRunning, sql = instance.sqlThreadState.isRunning
        var statements: [String] = []
        if io { statements.append("stop slave io_thread;") }
        if sql { statements.append("stop slave sql_thread;") }
        statements += body
        if sql { statements.append("start slave sql_thread;") }
        if io { statements.append("start slave io_thread;") }
        return statements
    }

    /// `can-replicate-from` (`gtid`: `can-replicate-from-gtid`): the rules' reasons why `key`
    /// may not replicate from `source`, empty when it may.
    package func replicationObstacles(_ key: InstanceKey, from source: InstanceKey, gtid: Bool) async throws(RefactoringError) -> [String] {
        let snapshot = try await freshSnapshot(probing: [key, source])
        guard let replica = snapshot[key] else { throw .unknownInstance(key) }
        guard let master = snapshot[source] else { throw .unknownInstance(source) }
        var reasons = ReplicationRules.violations(replica: replica, source: master, policy: policy)
        if snapshot.isDescendant(source, of: key) { reasons.append("\(source) is a descendant of \(key)") }
        if gtid {
            if let reason = RelocationMethod.gtidIncompatibility(replica: replica, source: master) { reasons.append(reason) }
            if let reason = RelocationMethod.purgedGTIDsMissing(replica: replica, source: master) { reasons.append(reason) }
        }
        return reasons
    }

    /// Runs statements; a failure becomes `.failed`.
    private func operation(_ body: () async throws(OperationError) -> Void) async throws(RefactoringError) {
        do { try await body() } catch { throw .failed(error) }
    }
}
