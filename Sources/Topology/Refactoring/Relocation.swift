/// A move the rules allow: `instance` goes below `target` by `method`.
package struct Relocation: Sendable, Equatable, CustomStringConvertible {
    /// The replica that moves.
    package var instance: InstanceKey
    /// Its new source.
    package var target: InstanceKey
    /// How the engine carries the move out.
    package var method: RelocationMethod
    /// The master `instance` replicates from before the move (for `.moveUp`, the master that is
    /// stopped and caught up with; for `.moveBelowSibling`, the shared master).
    package var currentMaster: InstanceKey

    package init(instance: InstanceKey, target: InstanceKey, method: RelocationMethod, currentMaster: InstanceKey) {
        self.instance = instance
        self.target = target
        self.method = method
        self.currentMaster = currentMaster
    }

    package var description: String { "\(instance) below \(target) (\(method.rawValue))" }
}

/// The outcome of a rule check over several replicas (`relocate-replicas`, `move-up-replicas`,
/// `take-siblings`, `repoint-replicas`): those that may move, and why the others may not. Bulk
/// operations move what they can and report the rest; they fail only when nothing may move.
package struct ReplicaRelocations: Sendable, Equatable {
    /// The replicas that may move, in key order.
    package var moves: [Relocation]
    /// One refusal per replica that may not, each with every reason.
    package var refusals: [RefactoringRefusal]

    package init(moves: [Relocation] = [], refusals: [RefactoringRefusal] = []) {
        self.moves = moves
        self.refusals = refusals
    }
}
