/// What `regroup-replicas` does once allowed: `candidate` becomes the local master of its
/// siblings; `moves` go below it; `lost` stay where they are (and `excluded` says why each
/// other replica was not chosen).
package struct RegroupPlan: Sendable, Equatable {
    /// The master whose replicas are regrouped (never touched; may be dead).
    package var master: InstanceKey
    /// `nil` only when `master` has no known replica (nothing to do).
    package var candidate: InstanceKey?
    /// Replicas holding no more than the candidate, each below it by GTID or by binary log
    /// coordinates as siblings.
    package var moves: [Relocation]
    /// Replicas that stay: ahead of the candidate, unable to replicate from it, in maintenance,
    /// or not movable; each with every reason.
    package var lost: [LostReplica]
    /// Why the replicas ranked above the candidate (and other ineligible ones) were not chosen.
    package var excluded: [Exclusion]

    package init(master: InstanceKey, candidate: InstanceKey?, moves: [Relocation] = [], lost: [LostReplica] = [], excluded: [Exclusion] = []) {
        self.master = master
        self.candidate = candidate
        self.moves = moves
        self.lost = lost
        self.excluded = excluded
    }
}
