import Foundation
import MySQLClient
import Topology

/// How each allowed move is carried out on the servers.
extension TopologyRefactorer {
    /// The instances a relocation changes (and so locks), with the lock reason of each.
    func locks(for move: Relocation) -> [(InstanceKey, String)] {
        switch move.method {
        case .moveUp: [(move.instance, "move up"), (move.currentMaster, "child \(move.instance) moves up")]
        case .moveBelowSibling: [(move.instance, "move below \(move.target)"), (move.target, "sibling \(move.instance) moves below")]
        case .repoint, .mariaDBGTID, .mysqlGTID: [(move.instance, "move below \(move.target)")]
        }
    }

    /// Stops `key` and checks it still replicates from `master`, as when the move was planned:
    /// a recovery or another operation may have moved it since.
    private func stop(_ key: InstanceKey, expecting master: InstanceKey) async throws(OperationError) {
        try await operations.stopReplication(key)
        guard let status = try await operations.replicaStatus(key) else {
            throw OperationError(key: key, operation: "stop-slave", reason: "no longer a replica")
        }
        guard status.master == master else {
            throw OperationError(key: key, operation: "stop-slave", reason: "now replicates from \(status.master), not \(master): the topology changed meanwhile")
        }
    }

    /// Runs one move. GTID: stop, point at the target, start. Coordinates: the servers are
    /// stopped and brought to the same transaction first, so the new position is exact.
    func execute(_ move: Relocation) async throws(RefactoringError) {
        let ops = operations
        let instance = move.instance
        switch move.method {
        case .mariaDBGTID, .mysqlGTID:
            try await withCleanup(restarting: [instance]) { () throws(OperationError) in
                try await stop(instance, expecting: move.currentMaster)
                try await ops.changeMaster(instance, to: move.target, method: move.method.rewireMethod)
                try await ops.startReplication(instance)
            }
        case .repoint:
            try await withCleanup(restarting: [instance]) { () throws(OperationError) in
                try await stop(instance, expecting: move.currentMaster)
                guard let status = try await ops.replicaStatus(instance) else {
                    throw OperationError(key: instance, operation: "repoint", reason: "not a replica")
                }
                if status.usesGTID, let current = await registry.instance(instance) {
                    try await ops.changeMaster(instance, to: move.target, method: current.usingOracleGTID ? .mysqlGTID : .mariaDBGTID)
                } else {
                    try await ops.changeMaster(instance, to: move.target, method: .binlogCoordinates, coordinates: status.executed)
                }
                try await ops.startReplication(instance)
            }
        case .moveUp:
            // The master stops; the replica applies exactly what the master applied and logged;
            // then it takes the master's place below the grandmaster at the master's position.
            let master = move.currentMaster
            try await withCleanup(restarting: [instance, master]) { () throws(OperationError) in
                try await stop(master, expecting: move.target)
                try await stop(instance, expecting: master)
                let masterOwn = try await ops.ownCoordinates(master)
                guard let masterStatus = try await ops.replicaStatus(master) else {
                    throw OperationError(key: master, operation: "move-up", reason: "not a replica")
                }
                try await catchUp(instance, to: masterOwn)
                try await ops.changeMaster(instance, to: move.target, method: .binlogCoordinates, coordinates: masterStatus.executed)
                try await ops.startReplication(instance)
                try await ops.startReplication(master)
            }
        case .moveBelowSibling:
            // Both stop; the one behind catches up with the other in the shared master's log;
            // then the instance continues from the sibling's own position.
            let sibling = move.target
            try await withCleanup(restarting: [instance, sibling]) { () throws(OperationError) in
                try await stop(instance, expecting: move.currentMaster)
                try await stop(sibling, expecting: move.currentMaster)
                guard let mine = try await ops.replicaStatus(instance), let theirs = try await ops.replicaStatus(sibling) else {
                    throw OperationError(key: instance, operation: "move-below", reason: "not both replicas")
                }
                switch mine.executed.compare(to: theirs.executed) {
                case .less: try await catchUp(instance, to: theirs.executed)
                case .greater: try await catchUp(sibling, to: mine.executed)
                case .equal: break
                case nil:
                    throw OperationError(
                        key: instance, operation: "move-below", reason: "positions \(mine.executed) and \(theirs.executed) are in different binary logs"
                    )
                }
                let siblingOwn = try await ops.ownCoordinates(sibling)
                try await ops.changeMaster(instance, to: sibling, method: .binlogCoordinates, coordinates: siblingOwn)
                try await ops.startReplication(instance)
                // Their shared master may be down (regroup): the sibling need only apply.
                try await ops.startReplication(sibling, requireConnected: false)
            }
        }
    }

    /// Runs `key` until it executed `coordinates` of its master's log, unless it already has.
    private func catchUp(_ key: InstanceKey, to coordinates: BinlogCoordinates) async throws(OperationError) {
        guard let status = try await operations.replicaStatus(key) else {
            throw OperationError(key: key, operation: "start-slave-until", reason: "not a replica")
        }
        switch status.executed.compare(to: coordinates) {
        case .equal: return
        case .greater:
            throw OperationError(key: key, operation: "start-slave-until", reason: "already past \(coordinates) (at \(status.executed))")
        case .less, nil:
            try await operations.startReplication(key, until: coordinates)
        }
    }

    /// take-master: the instance first holds everything its master holds, then takes the
    /// master's place below the grandmaster, and the master replicates from it.
    func execute(_ swap: MasterSwap) async throws(RefactoringError) {
        let ops = operations
        try await withCleanup(restarting: [swap.instance, swap.master]) { () throws(OperationError) in
            try await ops.stopReplication(swap.master)
            switch swap.method {
            case .mariaDBGTID, .mysqlGTID:
                if swap.method == .mariaDBGTID {
                    let position = try await ops.binlogGTIDPosition(swap.master)
                    guard try await ops.waitUntilApplied(swap.instance, position: position, timeoutSeconds: ops.waitTimeoutSeconds) else {
                        throw OperationError(key: swap.instance, operation: "take-master", reason: "did not apply \(position) of \(swap.master) in time")
                    }
                }
                try await ops.stopReplication(swap.instance)
                try await ops.changeMaster(swap.instance, to: swap.grandmaster, method: swap.method)
                try await ops.changeMaster(swap.master, to: swap.instance, method: swap.method)
            case .binlogCoordinates:
                try await ops.stopReplication(swap.instance)
                let masterOwn = try await ops.ownCoordinates(swap.master)
                guard let masterStatus = try await ops.replicaStatus(swap.master) else {
                    throw OperationError(key: swap.master, operation: "take-master", reason: "not a replica")
                }
                try await catchUp(swap.instance, to: masterOwn)
                let instanceOwn = try await ops.ownCoordinates(swap.instance)
                try await ops.changeMaster(swap.instance, to: swap.grandmaster, method: .binlogCoordinates, coordinates: masterStatus.executed)
                try await ops.changeMaster(swap.master, to: swap.instance, method: .binlogCoordinates, coordinates: instanceOwn)
            }
            try await ops.startReplication(swap.instance)
            try await ops.startReplication(swap.master)
        }
    }

    /// make-co-master: the master starts replicating from the instance. Under MariaDB GTID it
    /// starts from its own binary log position (it has never been a replica, so its replica
    /// position is empty); otherwise from the instance's own coordinates.
    func execute(_ link: CoMasterLink, credentials: MySQLCredentials?) async throws(RefactoringError) {
        let ops = operations
        let wasReplica: Bool
        do { wasReplica = try await ops.replicaStatus(link.master) != nil } catch { throw .failed(error) }
        guard wasReplica else {
            // A master that never replicated gets no half-made channel: a failure resets it.
            do {
                try await connectCoMaster(link, credentials: credentials)
            } catch {
                var failure = error
                do { try await ops.resetReplication(link.master) } catch let reset {
                    failure.reason += "; its replication could not be reset: \(reset.reason)"
                }
                throw .failed(failure)
            }
            return
        }
        try await withCleanup(restarting: [link.master]) { () throws(OperationError) in
            try await ops.stopReplication(link.master)
            try await connectCoMaster(link, credentials: credentials)
        }
    }

    /// `CHANGE MASTER` of the co-master link and `START SLAVE`.
    private func connectCoMaster(_ link: CoMasterLink, credentials: MySQLCredentials?) async throws(OperationError) {
        let ops = operations
        switch link.method {
        case .mariaDBGTID:
            try await ops.changeMasterFromOwnGTIDPosition(link.master, to: link.instance, credentials: credentials)
        case .mysqlGTID:
            try await ops.changeMaster(link.master, to: link.instance, method: .mysqlGTID, credentials: credentials)
        case .binlogCoordinates:
            let own = try await ops.ownCoordinates(link.instance)
            try await ops.changeMaster(link.master, to: link.instance, method: .binlogCoordinates, coordinates: own, credentials: credentials)
        }
        try await ops.startReplication(link.master)
    }
}
