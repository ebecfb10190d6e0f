/// Operations on several replicas of one instance at once. Each replica is checked on its own;
/// the operation moves those allowed and reports the others, and is refused as a whole only
/// when its preconditions fail or no replica may move.
extension RefactoringRules {
    /// `relocate-replicas` (`refactoring.md` §4.2): the known direct replicas of `master` (minus
    /// `target`, those whose `host:port` matches `pattern` when it is not empty; an unanchored
    /// regex) each relocated below `target` as `relocate` would. Refused as a whole when
    /// `target` descends from one of them, or when none may move; no replica is no refusal.
    package static func relocateReplicas(
        of master: InstanceKey, below target: InstanceKey, pattern: String = "", in snapshot: RefactoringSnapshot, policy: RefactoringPolicy
    ) throws(RefactoringRefusal) -> ReplicaRelocations {
        let operation = RefactoringOperation.moveReplicas(of: master, below: target)
        var check = RefactoringCheck(snapshot, policy)
        _ = check.instance(master)
        _ = check.instance(target)
        let replicas = try matching(snapshot.replicas(of: master).filter { $0.key != target }, pattern: pattern, operation, &check)
        for replica in replicas where snapshot.isDescendant(target, of: replica.key) {
            check.shape("\(target) is a descendant of \(replica.key)")
        }
        try check.verify(operation)
        var moves: [Relocation] = []
        var refusals: [RefactoringRefusal] = []
        for replica in replicas {
            var single = RefactoringCheck(snapshot, policy)
            let relocation = move(replica.key, below: target, paths: .relocation, &single)
            do throws(RefactoringRefusal) {
                moves.append(try finish(relocation, single, .move(replica.key, below: target)))
            } catch {
                refusals.append(error)
            }
        }
        return try outcome(moves, refusals, operation)
    }

    /// `move-up-replicas` (§4.4): the replicas of `instance` below its master, each as `relocate`
    /// would (GTID, or binary log coordinates up one level).
    package static func moveUpReplicas(
        of instance: InstanceKey, pattern: String = "", in snapshot: RefactoringSnapshot, policy: RefactoringPolicy
    ) throws(RefactoringRefusal) -> ReplicaRelocations {
        var check = RefactoringCheck(snapshot, policy)
        guard let middle = check.instance(instance) else { throw refusal(.moveUp(instance), check) }
        guard middle.isReplica else {
            check.shape("\(instance) is not a replica: its replicas have no level to move up to")
            throw refusal(.moveReplicas(of: instance, below: instance), check)
        }
        return try relocateReplicas(of: instance, below: middle.masterKey, pattern: pattern, in: snapshot, policy: policy)
    }

    /// `take-siblings` (§4.11): the other replicas of `instance`'s master below `instance`.
    package static func takeSiblings(
        _ instance: InstanceKey, in snapshot: RefactoringSnapshot, policy: RefactoringPolicy
    ) throws(RefactoringRefusal) -> ReplicaRelocations {
        var check = RefactoringCheck(snapshot, policy)
        guard let replica = check.instance(instance) else { throw refusal(.moveReplicas(of: instance, below: instance), check) }
        guard replica.isReplica else {
            check.shape("\(instance) is not a replica: it has no siblings")
            throw refusal(.moveReplicas(of: instance, below: instance), check)
        }
        return try relocateReplicas(of: replica.masterKey, below: instance, in: snapshot, policy: policy)
    }

    /// `repoint-replicas` (§4.7): the replicas of `master` (minus `target`, filtered by
    /// `pattern`) each repointed to `target`, by default to `master` itself (a refresh).
    package static func repointReplicas(
        of master: InstanceKey, to target: InstanceKey? = nil, pattern: String = "", in snapshot: RefactoringSnapshot, policy: RefactoringPolicy
    ) throws(RefactoringRefusal) -> ReplicaRelocations {
        let destination = target ?? master
        let operation = RefactoringOperation.repointReplicas(of: master, to: destination)
        var check = RefactoringCheck(snapshot, policy)
        _ = check.instance(destination)
        let replicas = try matching(snapshot.replicas(of: master).filter { $0.key != destination }, pattern: pattern, operation, &check)
        try check.verify(operation)
        var moves: [Relocation] = []
        var refusals: [RefactoringRefusal] = []
        for replica in replicas {
            do throws(RefactoringRefusal) {
                moves.append(try repoint(replica.key, to: destination, in: snapshot, policy: policy))
            } catch {
                refusals.append(error)
            }
        }
        return try outcome(moves, refusals, operation)
    }

    /// `replicas` whose `host:port` matches `pattern` (all when it is empty).
    static func matching(
        _ replicas: [Instance], pattern: String, _ operation: RefactoringOperation, _ check: inout RefactoringCheck
    ) throws(RefactoringRefusal) -> [Instance] {
        guard !pattern.isEmpty else { return replicas }
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try Regex(pattern)
        } catch {
            check.shape("invalid pattern '\(pattern)': \(error)")
            throw refusal(operation, check)
        }
        return replicas.filter { $0.key.description.contains(regex) }
    }

    /// The bulk result, or a refusal listing every replica's reasons when none may move.
    static func outcome(
        _ moves: [Relocation], _ refusals: [RefactoringRefusal], _ operation: RefactoringOperation
    ) throws(RefactoringRefusal) -> ReplicaRelocations {
        if moves.isEmpty, !refusals.isEmpty {
            var reasons: [String] = []
            for reason in refusals.flatMap(\.reasons) where !reasons.contains(reason) { reasons.append(reason) }
            throw RefactoringRefusal(operation: operation, reasons: reasons)
        }
        return ReplicaRelocations(moves: moves, refusals: refusals)
    }
}
