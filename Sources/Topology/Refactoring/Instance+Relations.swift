import Foundation

/// orchestrator's relationship predicates between two instances (`refactoring.md` §1.3).
extension Instance {
    /// `InstancesAreSiblings`: both replicas, different keys, the same master.
    package func isSibling(of other: Instance) -> Bool {
        isReplica && other.isReplica && key != other.key && masterKey == other.masterKey
    }

    /// `InstanceIsMasterOf`: `replica` is a replica of this instance.
    package func isMaster(of replica: Instance) -> Bool {
        replica.isReplica && key != replica.key && replica.masterKey == key
    }

    /// orchestrator's `IsDescendantOf` by ancestry: `ancestor`'s non-empty server UUID appears in
    /// this instance's `AncestryUUID`. Inert on MariaDB (no server UUID); see
    /// `RefactoringSnapshot.isDescendant(_:of:)`, which also walks the master chain.
    package func hasAncestryUUID(of ancestor: Instance) -> Bool {
        guard !ancestor.serverUUID.isEmpty else { return false }
        return ancestryUUID.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == ancestor.serverUUID }
    }
}
