/// What the old master was last seen to have written that the new master lacks: the
/// transactions a failover lost (`""` when nothing was). Transactions written after the old
/// master's last probe cannot be known; the report is as good as that probe.
package enum LostTransactions {
    package static func report(oldMaster: Instance?, newMaster: Instance) -> String {
        guard let oldMaster else { return "" }
        let written: ReplicationProgress
        if newMaster.usingMariaDBGTID || newMaster.isMariaDB {
            guard !oldMaster.gtidBinlogPos.isEmpty, let position = try? MariaDBGTIDPosition(parsing: oldMaster.gtidBinlogPos) else { return "" }
            written = .mariaDB(position)
        } else if !oldMaster.executedGtidSet.isEmpty, let set = try? MySQLGTIDSet(parsing: oldMaster.executedGtidSet) {
            written = .mysql(set)
        } else {
            return ""
        }
        let held: ReplicationProgress
        if case .mariaDB = written {
            guard let position = try? MariaDBGTIDPosition(parsing: newMaster.gtidCurrentPos) else { return "" }
            held = .mariaDB(position)
        } else {
            guard let set = try? MySQLGTIDSet(parsing: newMaster.executedGtidSet) else { return "" }
            held = .mysql(set)
        }
        return held.missing(from: written) ?? ""
    }
}
