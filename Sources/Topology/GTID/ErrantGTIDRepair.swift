/// The decisions behind orchestrator's errant-GTID tools (`locate-gtid-errant`,
/// `gtid-errant-inject-empty`, `gtid-errant-reset-master`), as pure functions of GTID state.
package enum ErrantGTIDRepair {
    /// One binary log and the GTID state at its start: MySQL's `Previous_gtids`, or MariaDB's
    /// `BINLOG_GTID_POS(file, 4)`.
    package struct LogStart: Sendable, Equatable {
        package var file: String
        package var state: String

        package init(file: String, state: String) {
            self.file = file
            self.state = state
        }
    }

    /// The binary logs that hold MySQL errant transactions: a log holds what the next log's
    /// start (or, for the last log, `gtid_executed`) has beyond its own start.
    package static func mysqlLogsHolding(errant: String, logs: [LogStart], executed: String) throws(GTIDParseError) -> [String] {
        let errantSet = try MySQLGTIDSet(parsing: errant)
        var holding: [String] = []
        for (index, log) in logs.enumerated() {
            let start = try MySQLGTIDSet(parsing: log.state)
            let end = try MySQLGTIDSet(parsing: index + 1 < logs.count ? logs[index + 1].state : executed)
            let written = end.subtracting(start)
            // Intersection: what of the errant set this log wrote.
            if !errantSet.subtracting(errantSet.subtracting(written)).isEmpty { holding.append(log.file) }
        }
        return holding
    }

    /// The binary logs that hold MariaDB errant transactions (`domain-server-seq`, as
    /// `ErrantGTID.mariaDB` gives them): sequences grow within a domain, so a GTID is in the last
    /// log whose start position in its domain is below it.
    package static func mariaDBLogsHolding(errant: String, logs: [LogStart]) throws(GTIDParseError) -> [String] {
        let gtids = try errant.split(separator: ",").map { (text) throws(GTIDParseError) in try MariaDBGTID(parsing: String(text)) }
        var holding: [String] = []
        let starts = try logs.map { (log) throws(GTIDParseError) in (log.file, try MariaDBGTIDPosition(parsing: log.state)) }
        for gtid in gtids {
            let candidates = starts.filter { ($0.1[domain: gtid.domainID]?.sequence ?? 0) < gtid.sequence }
            if let file = candidates.last?.0, !holding.contains(file) { holding.append(file) }
        }
        return holding.sorted()
    }

    /// The statements that give a MySQL master one empty transaction per errant GTID, in one
    /// session (orchestrator's `gtid-errant-inject-empty`, with the source's own UUID). Refuses
    /// more than `limit` transactions rather than flood the master.
    package static func mysqlInjectEmptyStatements(errant: String, limit: UInt64 = 10_000) throws(ErrantGTIDRepairError) -> [String] {
        let set: MySQLGTIDSet
        do { set = try MySQLGTIDSet(parsing: errant) } catch { throw .unreadable(errant) }
        guard set.count <= limit else { throw .tooMany(count: set.count, limit: limit) }
        var statements: [String] = []
        for (source, intervals) in set.intervalsBySource.sorted(by: { $0.key < $1.key }) {
            for interval in intervals {
                for number in interval.first...interval.last {
                    statements += ["SET GTID_NEXT='\(source):\(number)'", "BEGIN", "COMMIT"]
                }
            }
        }
        return statements + ["SET GTID_NEXT='AUTOMATIC'"]
    }

}

package enum ErrantGTIDRepairError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(String)
    case tooMany(count: UInt64, limit: UInt64)

    package var description: String {
        switch self {
        case let .unreadable(text): "cannot read the GTID set \(text)"
        case let .tooMany(count, limit): "\(count) errant transactions, more than the \(limit) injected at most"
        }
    }
}
