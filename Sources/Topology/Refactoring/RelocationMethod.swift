/// How a replica is moved below a new source. The GTID methods work between any two compatible
/// servers; the coordinate methods only where binary log coordinates can be translated: up one
/// level, or below a sibling ("a coordinates method that applies").
package enum RelocationMethod: String, Sendable, Equatable, Codable {
    /// The target already is the replica's master: `CHANGE MASTER` to it again at the replica's
    /// own executed coordinates, keeping its GTID mode (orchestrator's repoint).
    case repoint
    /// `MASTER_USE_GTID=slave_pos`: the replica uses MariaDB GTID and the target is MariaDB.
    case mariaDBGTID
    /// `MASTER_AUTO_POSITION=1`: the replica uses GTID auto-positioning, the target has `gtid_mode`
    /// on and has purged nothing the replica lacks.
    case mysqlGTID
    /// Binary log coordinates, up one level (the target is the master's master): stop the master,
    /// let the replica run until the master's own coordinates, point it at the target at the
    /// master's executed coordinates (orchestrator's move-up).
    case moveUp
    /// Binary log coordinates, below a sibling: stop both, let the one behind catch up with the
    /// other, point the replica at the sibling's own coordinates (orchestrator's move-below).
    case moveBelowSibling

    /// Whether this method positions by GTID.
    package var usesGTID: Bool { self == .mariaDBGTID || self == .mysqlGTID }

    /// The GTID method `replica` can use below `source`, if any (orchestrator's
    /// `instancesAreGTIDAndCompatible`): both MariaDB with the replica using MariaDB GTID, or
    /// the replica auto-positioning and the source with `gtid_mode` on. Does not check purged GTIDs.
    package static func gtidMethod(replica: Instance, source: Instance) -> RelocationMethod? {
        if replica.usingMariaDBGTID, source.isMariaDB || source.usingMariaDBGTID { return .mariaDBGTID }
        if replica.usingOracleGTID, source.supportsOracleGTID { return .mysqlGTID }
        return nil
    }

    /// Why `replica` cannot move below `source` by GTID, for refusals; `nil` when it can.
    package static func gtidIncompatibility(replica: Instance, source: Instance) -> String? {
        if gtidMethod(replica: replica, source: source) != nil { return nil }
        if replica.usingMariaDBGTID { return "\(replica.key) replicates with MariaDB GTID but \(source.key) is not MariaDB" }
        if replica.usingOracleGTID { return "\(replica.key) replicates with GTID auto-positioning but \(source.key) has gtid_mode OFF" }
        return "\(replica.key) does not replicate with GTID"
    }

    /// orchestrator's `CheckMoveViaGTID` for MySQL: what `source` purged that `replica` has not
    /// executed (`GTID_SUBTRACT(source.gtid_purged, replica.gtid_executed)`), as a reason; `nil`
    /// when nothing is missing. Unreadable GTID sets are a reason too.
    package static func purgedGTIDsMissing(replica: Instance, source: Instance) -> String? {
        guard !source.gtidPurged.isEmpty else { return nil }
        do {
            let purged = try MySQLGTIDSet(parsing: source.gtidPurged)
            let executed = try MySQLGTIDSet(parsing: replica.executedGtidSet)
            let missing = purged.subtracting(executed)
            guard !missing.isEmpty else { return nil }
            return "\(source.key) purged transactions \(replica.key) has not executed: \(missing)"
        } catch {
            return "the GTID sets of \(replica.key) and \(source.key) cannot be compared: \(error)"
        }
    }

    /// The `RewireMethod` the engine's `CHANGE MASTER` takes for a GTID method.
    package var rewireMethod: RewireMethod {
        switch self {
        case .mariaDBGTID: .mariaDBGTID
        case .mysqlGTID: .mysqlGTID
        case .repoint, .moveUp, .moveBelowSibling: .binlogCoordinates
        }
    }

    /// The movability gate the method asks of the moving replica.
    package var gate: MovabilityGate? {
        switch self {
        case .repoint: nil
        case .mariaDBGTID, .mysqlGTID: .canMoveViaMatch
        case .moveUp, .moveBelowSibling: .canMove
        }
    }
}
