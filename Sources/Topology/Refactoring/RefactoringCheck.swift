/// Collects every violation of one refactoring request, by section, so that a refusal lists
/// them in a stable order whatever order the operation asked for them: unknown instances,
/// replication rules, loops, maintenance, the topology's shape and the method, movability.
struct RefactoringCheck {
    let snapshot: RefactoringSnapshot
    let policy: RefactoringPolicy
    private(set) var unknown: [String] = []
    private(set) var rules: [String] = []
    private(set) var loops: [String] = []
    private var maintained: [InstanceKey] = []
    private(set) var shape: [String] = []
    private var gates: [(instance: Instance, gate: MovabilityGate)] = []

    init(_ snapshot: RefactoringSnapshot, _ policy: RefactoringPolicy) {
        self.snapshot = snapshot
        self.policy = policy
    }

    /// The instance at `key`, or `nil` with a reason recorded.
    mutating func instance(_ key: InstanceKey) -> Instance? {
        if let instance = snapshot[key] { return instance }
        note(unknown: key)
        return nil
    }

    mutating func note(unknown key: InstanceKey) {
        let reason = "\(key) is not a known instance"
        if !unknown.contains(reason) { unknown.append(reason) }
    }

    /// `CanReplicateFrom(replica, source)`, every violation.
    mutating func canReplicate(_ replica: Instance, from source: Instance) {
        for violation in ReplicationRules.violations(replica: replica, source: source, policy: policy) where !rules.contains(violation) {
            rules.append(violation)
        }
    }

    /// `source` may not be below `replica` already (a move would close a loop), unless `source`
    /// already is `replica`'s master (a repoint changes nothing). Returns whether it is clear.
    @discardableResult
    mutating func noLoop(moving replica: Instance, below source: Instance) -> Bool {
        guard replica.key != source.key, !source.isMaster(of: replica) else { return true }
        guard snapshot.isDescendant(source.key, of: replica.key) else { return true }
        loops.append("\(source.key) is a descendant of \(replica.key)")
        return false
    }

    /// None of `keys` may be in maintenance at the snapshot's moment.
    mutating func notInMaintenance(_ keys: InstanceKey...) {
        for key in keys where !maintained.contains(key) { maintained.append(key) }
    }

    mutating func shape(_ reason: String) {
        if !shape.contains(reason) { shape.append(reason) }
    }

    /// `instance` must pass `gate`; asking twice keeps the stronger gate.
    mutating func require(_ gate: MovabilityGate, of instance: Instance) {
        if let index = gates.firstIndex(where: { $0.instance.key == instance.key }) {
            gates[index].gate = max(gates[index].gate, gate)
        } else {
            gates.append((instance, gate))
        }
    }

    var reasons: [String] {
        let locks = maintained.compactMap { snapshot.activeMaintenance(on: $0)?.description }
        let movability = gates.flatMap { $0.gate.violations(of: $0.instance, now: snapshot.now, policy: policy) }
        var seen: Set<String> = []
        return (unknown + rules + loops + locks + shape + movability).filter { seen.insert($0).inserted }
    }

    /// Throws a refusal of `operation` listing every reason, if there is any.
    func verify(_ operation: RefactoringOperation) throws(RefactoringRefusal) {
        let reasons = reasons
        if !reasons.isEmpty { throw RefactoringRefusal(operation: operation, reasons: reasons) }
    }
}
