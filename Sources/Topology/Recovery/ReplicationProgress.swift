/// How much of its master's stream a replica holds, in the terms its replication uses: MariaDB
/// GTID positions (per domain), MySQL GTID sets, or binlog coordinates. What was received into
/// the relay log counts, because recovery lets the chosen replica apply its whole relay log.
package enum ReplicationProgress: Sendable, Equatable, CustomStringConvertible {
    case mariaDB(MariaDBGTIDPosition)
    case mysql(MySQLGTIDSet)
    case coordinates(BinlogCoordinates)
    /// Nothing readable (a malformed GTID text, an empty position).
    case unknown(reason: String)

    /// The progress of `replica` as read by its latest probe.
    package init(of replica: Instance) {
        if !replica.isReplica {
            self.init(ofMaster: replica)
            return
        }
        if replica.usingMariaDBGTID {
            // gtid_current_pos covers what this server applied, replicated or written locally;
            // Gtid_IO_Pos what it received. Under gtid-strict-mode each domain's sequence only
            // grows, so the per-domain maximum of both is what it will hold once applied.
            do {
                var position = try MariaDBGTIDPosition(parsing: replica.gtidCurrentPos.isEmpty ? replica.gtidSlavePos : replica.gtidCurrentPos)
                if let received = replica.receivedGtids, !received.isEmpty {
                    position = position.merged(with: try MariaDBGTIDPosition(parsing: received))
                }
                // Empty is a position too: a topology that never wrote a transaction.
                self = .mariaDB(position)
            } catch {
                self = .unknown(reason: error.description)
            }
        } else if replica.usingOracleGTID {
            do {
                var set = try MySQLGTIDSet(parsing: replica.executedGtidSet)
                if let received = replica.receivedGtids, !received.isEmpty {
                    set = set.union(try MySQLGTIDSet(parsing: received))
                }
                self = .mysql(set)
            } catch {
                self = .unknown(reason: error.description)
            }
        } else if replica.readBinlogCoordinates.isEmpty {
            self = .unknown(reason: "no read coordinates")
        } else {
            self = .coordinates(replica.readBinlogCoordinates)
        }
    }

    /// What a server that replicates from nobody holds: what it applied or wrote.
    private init(ofMaster master: Instance) {
        if master.isMariaDB {
            do {
                self = .mariaDB(try MariaDBGTIDPosition(parsing: master.gtidCurrentPos.isEmpty ? master.gtidBinlogPos : master.gtidCurrentPos))
            } catch {
                self = .unknown(reason: error.description)
            }
        } else if master.supportsOracleGTID {
            do {
                self = .mysql(try MySQLGTIDSet(parsing: master.executedGtidSet))
            } catch {
                self = .unknown(reason: error.description)
            }
        } else if master.selfBinlogCoordinates.isEmpty {
            self = .unknown(reason: "no binary log coordinates")
        } else {
            self = .coordinates(master.selfBinlogCoordinates)
        }
    }

    package var description: String {
        switch self {
        case .mariaDB(let position): position.description
        case .mysql(let set): set.description
        case .coordinates(let coordinates): coordinates.description
        case .unknown(let reason): "unknown (\(reason))"
        }
    }

    /// Whether everything `other` holds is also held here; `nil` when the two are not
    /// comparable (different kinds, or binlog coordinates of different log series).
    package func contains(_ other: ReplicationProgress) -> Bool? {
        switch (self, other) {
        case (.mariaDB(let mine), .mariaDB(let theirs)): mine.contains(theirs)
        case (.mysql(let mine), .mysql(let theirs)): mine.contains(theirs)
        case (.coordinates(let mine), .coordinates(let theirs)): mine.compare(to: theirs).map { $0 != .less }
        default: nil
        }
    }

    /// A single number that grows with progress and agrees with `contains` (if a holds strictly
    /// more than b, a's magnitude is larger), so sorting by it is a strict, consistent order.
    /// Two positions that diverge (each holds something the other lacks) may tie or not; the
    /// planner reports such replicas as lost rather than trusting this number.
    package var magnitude: Magnitude {
        switch self {
        case .mariaDB(let position):
            Magnitude(major: position.domains.reduce(0) { $0 + (position[domain: $1]?.sequence ?? 0) }, minor: 0)
        case .mysql(let set): Magnitude(major: set.count, minor: 0)
        case .coordinates(let coordinates): Magnitude(major: UInt64(max(0, coordinates.fileNumber ?? 0)), minor: UInt64(max(0, coordinates.logPos)))
        case .unknown: Magnitude(major: 0, minor: 0)
        }
    }

    package struct Magnitude: Sendable, Comparable {
        var major: UInt64
        var minor: UInt64
        package static func < (lhs: Magnitude, rhs: Magnitude) -> Bool { (lhs.major, lhs.minor) < (rhs.major, rhs.minor) }
    }

    /// What `other` holds that this progress lacks, for reports: MariaDB per domain, MySQL the
    /// set difference; `nil` when not comparable.
    package func missing(from other: ReplicationProgress) -> String? {
        switch (self, other) {
        case (.mariaDB(let mine), .mariaDB(let theirs)):
            return theirs.domains.compactMap { domain -> String? in
                guard let want = theirs[domain: domain] else { return nil }
                let have = mine[domain: domain]?.sequence ?? 0
                guard want.sequence > have else { return nil }
                let count = want.sequence - have
                return "domain \(domain): up to \(want) (\(count) transaction\(count == 1 ? "" : "s") after \(mine[domain: domain]?.description ?? "nothing"))"
            }.joined(separator: "; ")
        case (.mysql(let mine), .mysql(let theirs)):
            return theirs.subtracting(mine).description
        case (.coordinates(let mine), .coordinates(let theirs)):
            guard let order = mine.compare(to: theirs) else { return nil }
            return order == .less ? "\(mine) → \(theirs)" : ""
        default:
            return nil
        }
    }
}

extension MariaDBGTIDPosition {
    /// The per-domain maximum of both positions.
    package func merged(with other: MariaDBGTIDPosition) -> MariaDBGTIDPosition {
        var result = gtids
        for (domain, theirs) in other.gtids where (result[domain]?.sequence ?? 0) < theirs.sequence || result[domain] == nil {
            result[domain] = theirs
        }
        return MariaDBGTIDPosition(Array(result.values))
    }
}
