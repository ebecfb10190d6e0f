/// Errant transactions: what a replica executed that its master never had. orchestrator computes
/// them for MySQL GTID only; MariaDB replicas get them too, from `gtid_binlog_state`.
package enum ErrantGTID {
    /// MySQL: the replica's `gtid_executed` minus its master's (orchestrator's `GtidErrant`).
    /// Empty when either set is missing or unreadable (nothing can be said).
    package static func mysql(replicaExecuted: String, masterExecuted: String) -> String {
        guard !replicaExecuted.isEmpty, !masterExecuted.isEmpty,
              let replica = try? MySQLGTIDSet(parsing: replicaExecuted), let master = try? MySQLGTIDSet(parsing: masterExecuted)
        else { return "" }
        return replica.subtracting(master).description
    }

    /// MariaDB: each (domain, server) of the replica's `gtid_binlog_state` whose last sequence the
    /// master's binary log never reached — a transaction written on the replica (or received from
    /// elsewhere) that the master does not hold. Given as the replica's last GTID of that pair,
    /// e.g. `0-23307-12`; empty when there is none or a state is unreadable. An empty master
    /// state is a master that has logged nothing yet.
    package static func mariaDB(replicaBinlogState: String, masterBinlogState: String) -> String {
        guard !replicaBinlogState.isEmpty, let replica = parseState(replicaBinlogState), let master = parseState(masterBinlogState) else { return "" }
        let errant = replica.values.filter { gtid in
            guard let held = master[Pair(domain: gtid.domainID, server: gtid.serverID)] else { return true }
            return held.sequence < gtid.sequence
        }
        return errant.sorted { ($0.domainID, $0.serverID) < ($1.domainID, $1.serverID) }.map(\.description).joined(separator: ",")
    }

    private struct Pair: Hashable {
        var domain: UInt32
        var server: UInt32
    }

    /// `gtid_binlog_state`: one GTID per (domain, server) pair, comma-separated.
    private static func parseState(_ text: String) -> [Pair: MariaDBGTID]? {
        var state: [Pair: MariaDBGTID] = [:]
        for token in text.split(separator: ",") {
            let trimmed = token.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            guard let gtid = try? MariaDBGTID(parsing: trimmed) else { return nil }
            state[Pair(domain: gtid.domainID, server: gtid.serverID)] = gtid
        }
        return state
    }
}

extension ErrantGTID {
    /// The errant transactions of `replica` below `master`, by the GTID flavour they share.
    /// `chain` is the replica's master chain, nearest first (`master` included): what those
    /// servers wrote themselves is theirs, not errant, even when the replica has more of it than
    /// the master's latest probe showed (a busy master probed a moment earlier).
    package static func of(_ replica: Instance, master: Instance, chain: [Instance] = []) -> String {
        let upstream = chain.isEmpty ? [master] : chain
        if replica.isMariaDB, master.isMariaDB {
            // A state never read (an instance stored before it was probed for) says nothing.
            guard let replicaState = replica.gtidBinlogState, let masterState = master.gtidBinlogState else { return "" }
            let servers = Set(upstream.map(\.serverID))
            let errant = mariaDB(replicaBinlogState: replicaState, masterBinlogState: masterState)
            return errant.split(separator: ",").filter { text in
                guard let gtid = try? MariaDBGTID(parsing: String(text)) else { return true }
                return !servers.contains(Int64(gtid.serverID))
            }.joined(separator: ",")
        }
        if replica.supportsOracleGTID, master.supportsOracleGTID {
            guard !replica.executedGtidSet.isEmpty, !master.executedGtidSet.isEmpty,
                  let executed = try? MySQLGTIDSet(parsing: replica.executedGtidSet), let masters = try? MySQLGTIDSet(parsing: master.executedGtidSet)
            else { return "" }
            let sources = Set(upstream.map(\.serverUUID).filter { !$0.isEmpty }.map { $0.lowercased() })
            return executed.removingSources(sources).subtracting(masters).description
        }
        return ""
    }
}
