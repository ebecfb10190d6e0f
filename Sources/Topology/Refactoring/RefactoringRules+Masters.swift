/// Operations that change who is a master: take-master and make-co-master.
extension RefactoringRules {
    /// `take-master` (`refactoring.md` §4.8): `instance` swaps places with its master M, which
    /// must be an intermediate master (a replica itself, not a co-master); the top master is
    /// changed by a graceful master takeover instead.
    ///
    /// Beyond orchestrator (which checks only `CanReplicateFrom(M, instance)` and takes no lock):
    /// `instance` must also be able to replicate from M's master, neither may be in maintenance,
    /// `instance` must pass `CanMove` and M must have been checked recently.
    package static func takeMaster(
        _ instance: InstanceKey, in snapshot: RefactoringSnapshot, policy: RefactoringPolicy
    ) throws(RefactoringRefusal) -> MasterSwap {
        let operation = RefactoringOperation.takeMaster(instance)
        var check = RefactoringCheck(snapshot, policy)
        let (replica, master) = try replicaAndMaster(instance, operation, &check)
        let grandmaster = master.isReplica ? snapshot[master.masterKey] : nil
        check.canReplicate(master, from: replica)
        if let grandmaster, grandmaster.key != replica.key { check.canReplicate(replica, from: grandmaster) }
        check.notInMaintenance(instance, master.key)
        if isCoMaster(master, in: snapshot) {
            check.shape("\(master.key) is a co-master")
        } else if !master.isReplica {
            check.shape("\(master.key) is not a replica: take-master swaps a replica with an intermediate master (use a graceful master takeover for the top master)")
        } else if grandmaster == nil {
            check.note(unknown: master.masterKey)
        }
        check.require(.canMove, of: replica)
        check.require(.canMoveAsCoMaster, of: master)
        try check.verify(operation)

        var method = RewireMethod.binlogCoordinates
        if let grandmaster, let up = RelocationMethod.gtidMethod(replica: replica, source: grandmaster),
           RelocationMethod.gtidMethod(replica: master, source: replica) == up {
            method = up.rewireMethod
        }
        return MasterSwap(instance: instance, master: master.key, grandmaster: master.masterKey, method: method)
    }

    /// `make-co-master` (§4.13): `instance`'s master M, a top master, starts replicating from
    /// `instance`. `instance` must pass `CanMove` and be read-only; M must pass
    /// `CanMoveAsCoMaster`; if M already is a co-master, its partner must be unreachable or
    /// read-only (a writable master is never demoted this way).
    package static func makeCoMaster(
        _ instance: InstanceKey, in snapshot: RefactoringSnapshot, policy: RefactoringPolicy
    ) throws(RefactoringRefusal) -> CoMasterLink {
        let operation = RefactoringOperation.makeCoMaster(instance)
        var check = RefactoringCheck(snapshot, policy)
        let (replica, master) = try replicaAndMaster(instance, operation, &check)
        check.canReplicate(master, from: replica)
        check.notInMaintenance(instance, master.key)
        if replica.isMaster(of: master) {
            check.shape("\(instance) already is the master of \(master.key)")
        } else if isCoMaster(master, in: snapshot) {
            if let partner = snapshot[master.masterKey], partner.isLastCheckValid, !partner.readOnly {
                check.shape("\(master.key) already is a co-master of the writable \(partner.key)")
            }
        } else if master.isReplica {
            check.shape("\(master.key) is not a top master: it replicates from \(master.masterKey)")
        }
        if !replica.readOnly { check.shape("\(instance) is writable: a new co-master must be read-only") }
        check.require(.canMove, of: replica)
        check.require(.canMoveAsCoMaster, of: master)
        try check.verify(operation)

        var method = RewireMethod.binlogCoordinates
        if replica.usingOracleGTID, master.supportsOracleGTID {
            method = .mysqlGTID
        } else if replica.usingMariaDBGTID, master.isMariaDB {
            method = .mariaDBGTID
        }
        return CoMasterLink(instance: instance, master: master.key, method: method, coordinates: replica.selfBinlogCoordinates)
    }

    /// Whether `instance` is in a co-master ring: as probed, or its master replicates from it.
    static func isCoMaster(_ instance: Instance, in snapshot: RefactoringSnapshot) -> Bool {
        if instance.isCoMaster { return true }
        guard instance.isReplica, let master = snapshot[instance.masterKey] else { return false }
        return instance.isMaster(of: master)
    }

    /// The instance, which must be a replica, and its master, both known; else the refusal.
    private static func replicaAndMaster(
        _ instance: InstanceKey, _ operation: RefactoringOperation, _ check: inout RefactoringCheck
    ) throws(RefactoringRefusal) -> (Instance, Instance) {
        guard let replica = check.instance(instance) else { throw refusal(operation, check) }
        guard replica.isReplica else {
            check.shape("\(instance) is not a replica")
            throw refusal(operation, check)
        }
        guard let master = check.instance(replica.masterKey) else { throw refusal(operation, check) }
        return (replica, master)
    }
}
