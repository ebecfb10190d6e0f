/// How replicas are pointed at their new master.
package enum RewireMethod: String, Sendable, Equatable, Codable {
    /// `MASTER_USE_GTID=slave_pos`.
    case mariaDBGTID
    /// `MASTER_AUTO_POSITION=1`.
    case mysqlGTID
    /// The new master's own binlog coordinates, captured before it takes writes; only for
    /// replicas that hold exactly what it holds.
    case binlogCoordinates
}

/// One step of a recovery, in the order the executor runs them. Each is recorded before it runs.
package enum RecoveryStep: Sendable, Equatable {
    /// Stop the IO threads of the failed server's replicas, so none reconnects to it meanwhile.
    case stopIOThreads([InstanceKey])
    /// Two-step promotion: point `replica` at `relay` and wait until it holds everything `relay` holds.
    case catchUp(InstanceKey, from: InstanceKey)
    /// Let `replica` apply everything in its relay log.
    case applyRelayLog(InstanceKey)
    /// Stop and reset replication on `replica`, make it writable.
    case promote(InstanceKey)
    /// Point `replicas` at `master`, concurrently.
    case rewire([InstanceKey], under: InstanceKey, method: RewireMethod)
    /// Remove the master settings of replicas that cannot follow the new master.
    case detachLost([InstanceKey])

    package var description: String {
        switch self {
        case .stopIOThreads(let keys): "stop the IO thread of \(Self.list(keys))"
        case .catchUp(let replica, let relay): "point \(replica) at \(relay) and wait until it holds everything \(relay) holds"
        case .applyRelayLog(let replica): "let \(replica) apply its relay log"
        case .promote(let replica): "promote \(replica): stop replication, RESET SLAVE ALL, read_only=0"
        case .rewire(let keys, let master, let method): "point \(Self.list(keys)) at \(master) (\(method.rawValue))"
        case .detachLost(let keys): "detach the lost replica\(keys.count == 1 ? "" : "s") \(Self.list(keys))"
        }
    }

    private static func list(_ keys: [InstanceKey]) -> String {
        keys.isEmpty ? "no replica" : keys.map(\.description).joined(separator: ", ")
    }
}

/// A replica that will not follow the new master, and why.
package struct LostReplica: Sendable, Equatable, CustomStringConvertible {
    package var key: InstanceKey
    package var reason: String

    package init(key: InstanceKey, reason: String) {
        self.key = key
        self.reason = reason
    }

    package var description: String { "\(key): \(reason)" }
}
