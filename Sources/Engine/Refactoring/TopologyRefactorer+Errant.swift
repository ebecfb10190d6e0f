import Foundation
import Topology

/// orchestrator's errant-GTID tools, for MySQL GTID and for MariaDB (`refactoring.md` §4.18).
extension TopologyRefactorer {
    /// The instance, freshly probed, with errant transactions; an error when it has none.
    private func withErrant(_ key: InstanceKey, _ action: String) async throws(RefactoringError) -> Instance {
        let instance = try await refreshed(key)
        guard instance.isLastCheckValid else { throw .invalid("cannot \(action) on \(key): it cannot be reached: \(instance.lastProbeError)") }
        guard !instance.gtidErrant.isEmpty else { throw .invalid("\(key) has no errant GTIDs") }
        return instance
    }

    /// `locate-gtid-errant`: the binary logs of `key` that hold its errant transactions.
    package func locateErrantGTID(_ key: InstanceKey) async throws(RefactoringError) -> [String] {
        let instance = try await withErrant(key, "locate errant GTIDs")
        let starts: [ErrantGTIDRepair.LogStart]
        do throws(OperationError) { starts = try await operations.binaryLogStarts(key, mariaDB: instance.isMariaDB) } catch { throw .failed(error) }
        do throws(GTIDParseError) {
            return instance.isMariaDB
                ? try ErrantGTIDRepair.mariaDBLogsHolding(errant: instance.gtidErrant, logs: starts)
                : try ErrantGTIDRepair.mysqlLogsHolding(errant: instance.gtidErrant, logs: starts, executed: instance.executedGtidSet)
        } catch {
            throw .invalid("cannot locate errant GTIDs on \(key): \(error)")
        }
    }

    /// `gtid-errant-inject-empty` (MySQL): one empty transaction per errant GTID on the
    /// cluster's writable master, so the replica's extra transactions count as the master's.
    package func injectEmptyErrantTransactions(_ key: InstanceKey) async throws(RefactoringError) -> (master: InstanceKey, count: UInt64) {
        try await audited("gtid-errant-inject-empty", key, success: { (result: (master: InstanceKey, count: UInt64)) in
            "injected \(result.count) empty transactions on \(result.master)"
        }) { () throws(RefactoringError) in
            let instance = try await withErrant(key, "inject empty transactions")
            guard !instance.isMariaDB else {
                throw .invalid(
                    "cannot inject empty transactions for \(key): MariaDB has no GTID_NEXT; use gtid-errant-reset-master on \(key) "
                        + "(its replication position stays in gtid_slave_pos), after checking what the errant transactions \(instance.gtidErrant) changed"
                )
            }
            guard let master = await registry.masterInstance(ofCluster: instance.clusterName), !master.readOnly, master.isLastCheckValid else {
                throw .invalid("cannot inject empty transactions for \(key): its cluster has no reachable writable master")
            }
            let statements: [String]
            do { statements = try ErrantGTIDRepair.mysqlInjectEmptyStatements(errant: instance.gtidErrant) } catch { throw .invalid("\(error)") }
            let count = UInt64((statements.count - 1) / 3)
            do throws(OperationError) { try await operations.injectEmptyTransactions(master.key, statements: statements, count: count) } catch { throw .failed(error) }
            await refresh([master.key, key])
            return (master.key, count)
        }
    }

    /// `gtid-errant-reset-master`: drops the errant GTIDs from `key`'s binary log state by
    /// resetting its binary logs; refused while it has replicas (they read those logs).
    package func resetErrantGTIDs(_ key: InstanceKey) async throws(RefactoringError) -> Instance {
        try await audited("gtid-errant-reset-master", key, success: { (_: Instance) in "errant GTIDs removed by RESET MASTER" }) { () throws(RefactoringError) in
            let instance = try await withErrant(key, "reset errant GTIDs")
            let replicas = await registry.replicas(of: key)
            guard replicas.isEmpty else {
                throw .invalid("cannot RESET MASTER on \(key): it has replicas (\(replicas.map(\.key.description).joined(separator: ", "))) that read its binary logs")
            }
            guard instance.masterKey.port != 0 else { throw .invalid("cannot RESET MASTER on \(key): it is not a replica") }
            let ops = operations
            let mysqlErrant = instance.isMariaDB ? nil : instance.gtidErrant
            try await withMaintenanceLocks([(key, "remove errant GTIDs")]) { () throws(RefactoringError) in
                if mysqlErrant == nil {
                    // MariaDB keeps its position in gtid_slave_pos: restarting after a failure is safe.
                    try await withCleanup(restarting: [key]) { () throws(OperationError) in try await ops.resetBinaryLogs(key, mysqlErrant: nil) }
                } else {
                    // MySQL after RESET MASTER without its gtid_purged would fetch everything again:
                    // a failure leaves replication stopped for the operator.
                    do throws(OperationError) { try await ops.resetBinaryLogs(key, mysqlErrant: mysqlErrant) } catch { throw .failed(error) }
                }
            }
            return try await refreshed(key)
        }
    }
}
