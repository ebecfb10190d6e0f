/// The pure rules of topology refactoring (`refactoring.md` §1–§4): for each operation, whether
/// it may run and how, decided from a snapshot. Each function returns what the engine should do
/// or throws a `RefactoringRefusal` naming every violated rule; the engine acts only on success,
/// so a refused operation touches no server.
///
/// Beyond orchestrator's own checks, every move refuses a loop (a server below its own
/// descendant), a pair with no replication method that applies (GTID on both sides, or binary
/// log coordinates up one level or below a sibling), and instances in maintenance.
package enum RefactoringRules {
    /// The ways a move may be carried out, in orchestrator's order of preference.
    struct Paths: OptionSet {
        let rawValue: Int
        static let repoint = Paths(rawValue: 1)
        static let gtid = Paths(rawValue: 2)
        static let sibling = Paths(rawValue: 4)
        static let up = Paths(rawValue: 8)
        /// Below a sibling only when it is not a writable co-master (relocate's caution).
        static let siblingNotWritableCoMaster = Paths(rawValue: 16)
        /// relocate: everything, in orchestrator's order.
        static let relocation: Paths = [.repoint, .gtid, .sibling, .siblingNotWritableCoMaster, .up]
    }

    /// `relocate` (`refactoring.md` §4.1): `instance` below `target`, by whichever method applies —
    /// a repoint when `target` already is its master, GTID when both sides have it, else binary
    /// log coordinates below a sibling (not a writable co-master) or up one level.
    package static func relocate(
        _ instance: InstanceKey, below target: InstanceKey, in snapshot: RefactoringSnapshot, policy: RefactoringPolicy
    ) throws(RefactoringRefusal) -> Relocation {
        var check = RefactoringCheck(snapshot, policy)
        let relocation = move(instance, below: target, paths: .relocation, &check)
        return try finish(relocation, check, .move(instance, below: target))
    }

    /// `move-below` (§4.5): `instance` below its sibling `sibling`. Both must pass `CanMove`. By
    /// GTID when both sides have it, else by binary log coordinates.
    package static func moveBelow(
        _ instance: InstanceKey, sibling: InstanceKey, in snapshot: RefactoringSnapshot, policy: RefactoringPolicy
    ) throws(RefactoringRefusal) -> Relocation {
        var check = RefactoringCheck(snapshot, policy)
        var paths: Paths = [.gtid, .sibling]
        if let replica = snapshot[instance], let other = snapshot[sibling] {
            if replica.key != other.key, !replica.isSibling(of: other) {
                check.shape("\(replica.key) and \(other.key) are not siblings")
                paths = []
            }
            check.require(.canMove, of: replica)
            check.require(.canMove, of: other)
        }
        let relocation = move(instance, below: sibling, paths: paths, &check)
        return try finish(relocation, check, .move(instance, below: sibling))
    }

    /// `move-below-gtid` (§4.9): `instance` below `target` by GTID only.
    package static func moveBelowGTID(
        _ instance: InstanceKey, below target: InstanceKey, in snapshot: RefactoringSnapshot, policy: RefactoringPolicy
    ) throws(RefactoringRefusal) -> Relocation {
        var check = RefactoringCheck(snapshot, policy)
        let relocation = move(instance, below: target, paths: .gtid, &check)
        return try finish(relocation, check, .move(instance, below: target))
    }

    /// `move-up` (§4.3): `instance` below its master's master. It must pass `CanMove`; its master
    /// must itself be a replica. By GTID when both sides have it, else by binary log coordinates.
    package static func moveUp(
        _ instance: InstanceKey, in snapshot: RefactoringSnapshot, policy: RefactoringPolicy
    ) throws(RefactoringRefusal) -> Relocation {
        var check = RefactoringCheck(snapshot, policy)
        guard let replica = check.instance(instance) else { throw refusal(.moveUp(instance), check) }
        guard replica.isReplica else {
            check.shape("\(instance) is not a replica")
            throw refusal(.moveUp(instance), check)
        }
        guard let master = check.instance(replica.masterKey) else { throw refusal(.moveUp(instance), check) }
        guard master.isReplica else {
            check.shape("\(master.key), the master of \(instance), is not a replica: there is no level to move up to")
            throw refusal(.moveUp(instance), check)
        }
        check.require(.canMove, of: replica)
        check.notInMaintenance(instance, master.key)
        let relocation = move(instance, below: master.masterKey, paths: [.gtid, .up], &check)
        return try finish(relocation, check, .moveUp(instance))
    }

    /// `repoint` (§4.7): `instance` to `target` (default: its current master) at its own executed
    /// coordinates, keeping its GTID mode. No movability gate; only `instance` must be free of
    /// maintenance (it is the only one locked).
    package static func repoint(
        _ instance: InstanceKey, to target: InstanceKey? = nil, in snapshot: RefactoringSnapshot, policy: RefactoringPolicy
    ) throws(RefactoringRefusal) -> Relocation {
        var check = RefactoringCheck(snapshot, policy)
        let destination = target ?? snapshot[instance].flatMap { $0.isReplica ? $0.masterKey : nil } ?? instance
        let operation = RefactoringOperation.repoint(instance, to: destination)
        guard let replica = check.instance(instance) else { throw refusal(operation, check) }
        guard replica.isReplica else {
            check.shape("\(instance) is not a replica")
            throw refusal(operation, check)
        }
        guard let source = check.instance(destination) else { throw refusal(operation, check) }
        check.canReplicate(replica, from: source)
        check.noLoop(moving: replica, below: source)
        check.notInMaintenance(instance)
        try check.verify(operation)
        return Relocation(instance: instance, target: destination, method: .repoint, currentMaster: replica.masterKey)
    }

    /// The shared core of every move: replication rules, loop, maintenance of both instances,
    /// the method among `paths`, and the gate the method asks. `nil` when refused (reasons in `check`).
    static func move(_ instance: InstanceKey, below target: InstanceKey, paths: Paths, _ check: inout RefactoringCheck) -> Relocation? {
        let replica = check.instance(instance)
        let source = check.instance(target)
        guard let replica, let source else { return nil }
        check.canReplicate(replica, from: source)
        check.notInMaintenance(instance, target)
        guard replica.key != source.key, check.noLoop(moving: replica, below: source) else { return nil }
        guard let method = method(replica, below: source, paths: paths, &check) else { return nil }
        if let gate = method.gate { check.require(gate, of: replica) }
        if method == .moveBelowSibling { check.require(.canMove, of: source) }
        return Relocation(instance: instance, target: target, method: method, currentMaster: replica.masterKey)
    }

    /// The first of `paths` that applies, or `nil` with the reason none does.
    static func method(_ replica: Instance, below source: Instance, paths: Paths, _ check: inout RefactoringCheck) -> RelocationMethod? {
        let r = replica.key, s = source.key
        guard replica.isReplica else {
            check.shape("\(r) is not a replica")
            return nil
        }
        if paths.contains(.repoint), source.isMaster(of: replica) { return .repoint }
        if paths.contains(.gtid), let gtid = RelocationMethod.gtidMethod(replica: replica, source: source) {
            if gtid == .mysqlGTID, let missing = RelocationMethod.purgedGTIDsMissing(replica: replica, source: source) {
                check.shape(missing)
                return nil
            }
            return gtid
        }
        let isSibling = replica.isSibling(of: source)
        let isWritableCoMaster = source.isCoMaster && !source.readOnly
        let coMasterRefused = paths.contains(.siblingNotWritableCoMaster) && isWritableCoMaster
        if paths.contains(.sibling), isSibling, !coMasterRefused { return .moveBelowSibling }
        if paths.contains(.up), check.snapshot.grandmaster(of: r) == s { return .moveUp }

        var parts: [String] = []
        if paths.contains(.gtid), let why = RelocationMethod.gtidIncompatibility(replica: replica, source: source) { parts.append(why) }
        switch (paths.contains(.sibling), paths.contains(.up)) {
        case (true, _) where isSibling && coMasterRefused: parts.append("\(s) is a sibling of \(r) but a writable co-master")
        case (true, true): parts.append("\(s) is neither a sibling of \(r) nor its master's master")
        case (true, false): if !isSibling { parts.append("\(s) is not a sibling of \(r)") }
        case (false, true): parts.append("\(s) is not the master of \(r)'s master")
        case (false, false): break
        }
        // Empty only when the caller allowed no path, having reported why (e.g. not siblings).
        guard !parts.isEmpty else { return nil }
        check.shape("no way to move \(r) below \(s): " + parts.joined(separator: ", and "))
        return nil
    }

    static func refusal(_ operation: RefactoringOperation, _ check: RefactoringCheck) -> RefactoringRefusal {
        RefactoringRefusal(operation: operation, reasons: check.reasons)
    }

    /// The relocation when nothing was violated; a refusal otherwise.
    static func finish(_ relocation: Relocation?, _ check: RefactoringCheck, _ operation: RefactoringOperation) throws(RefactoringRefusal) -> Relocation {
        try check.verify(operation)
        guard let relocation else { throw RefactoringRefusal(operation: operation, reasons: ["no replication method applies"]) }
        return relocation
    }
}
