/// A master replaced by a recovery that nobody has acknowledged yet. Until then it must not
/// take writes: a master that was frozen, cut off or restarted comes back believing it is still
/// the master, and anything written there is missing on its successor.
package struct DeposedMaster: Sendable, Equatable {
    package var key: InstanceKey
    package var successor: InstanceKey
    package var recoveryUID: String

    package init(key: InstanceKey, successor: InstanceKey, recoveryUID: String) {
        self.key = key
        self.successor = successor
        self.recoveryUID = recoveryUID
    }

    /// The masters of `recoveries` still to keep read-only: successful master recoveries not
    /// acknowledged, newest first per failed master; a failed master that has since become the
    /// successor of a later recovery is in charge again and is left alone.
    package static func pending(in recoveries: [TopologyRecovery], masterRecoveryType: String) -> [DeposedMaster] {
        var found: [InstanceKey: (DeposedMaster, startedAt: Double)] = [:]
        var promotedSince: [InstanceKey: Double] = [:]
        for recovery in recoveries where recovery.isSuccessful && recovery.type == masterRecoveryType {
            guard let successor = recovery.successor else { continue }
            let started = recovery.startActivePeriod.timeIntervalSinceReferenceDate
            promotedSince[successor] = max(promotedSince[successor] ?? started, started)
            // A graceful takeover demotes the old master on purpose, into a replica.
            guard !recovery.isAcknowledged, !recovery.commandHint.hasPrefix("graceful-master-takeover") else { continue }
            if let existing = found[recovery.key], existing.startedAt >= started { continue }
            found[recovery.key] = (DeposedMaster(key: recovery.key, successor: successor, recoveryUID: recovery.uid), started)
        }
        return found.values.filter { deposed in
            guard let promoted = promotedSince[deposed.0.key] else { return true }
            return promoted < deposed.startedAt
        }.map(\.0).sorted { $0.key < $1.key }
    }

    /// Whether `instance`, as last probed, is this deposed master taking writes again: reachable,
    /// writable and replicating from nobody.
    package func mustFence(_ instance: Instance?) -> Bool {
        guard let instance, instance.key == key, instance.isLastCheckValid else { return false }
        return !instance.readOnly && !instance.isReplica
    }

    /// What a fenced deposed master may do with `RejoinFailedMasterAsReplica`: replicate from
    /// its successor when it holds no transaction the successor lacks (compared by GTID), or stay
    /// read-only, with the reason (its errant transactions, or why they cannot be known).
    package enum Rejoin: Sendable, Equatable {
        case replicate
        case stayFenced(String)
    }

    package func rejoin(_ old: Instance, successor new: Instance?) -> Rejoin {
        guard let new, new.key == successor, new.isLastCheckValid else {
            return .stayFenced("its successor \(successor) is not reachable")
        }
        if old.isMariaDB, new.isMariaDB {
            // Empty is a binary log with nothing in it yet: nothing to lack.
            guard let oldState = old.gtidBinlogState, let newState = new.gtidBinlogState else {
                return .stayFenced("the GTID states of it and its successor are not known")
            }
            let errant = ErrantGTID.mariaDB(replicaBinlogState: oldState, masterBinlogState: newState)
            return errant.isEmpty ? .replicate : .stayFenced("it has transactions its successor \(successor) lacks: \(errant)")
        }
        if old.supportsOracleGTID, new.supportsOracleGTID, !old.executedGtidSet.isEmpty, !new.executedGtidSet.isEmpty {
            let errant = ErrantGTID.mysql(replicaExecuted: old.executedGtidSet, masterExecuted: new.executedGtidSet)
            return errant.isEmpty ? .replicate : .stayFenced("it has transactions its successor \(successor) lacks: \(errant)")
        }
        return .stayFenced("without GTID on both it and its successor, what it lacks cannot be told")
    }
}
