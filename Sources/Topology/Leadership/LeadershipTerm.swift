/// One stretch of leadership in etcd: the lease a node campaigned with and the revision at which
/// its leader key was created. Work started as leader carries its term; before acting it checks
/// that the leader key still has this creation revision and lease, so a node that lost the key
/// (lease expired while it was paused, another node won) can tell and does nothing.
package struct LeadershipTerm: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The etcd lease ID; 0 for a single node without etcd.
    package var leaseID: Int64
    /// `create_revision` of the leader key this node created; 0 for a single node.
    package var createRevision: Int64
    package var node: String

    package init(leaseID: Int64, createRevision: Int64, node: String) {
        self.leaseID = leaseID
        self.createRevision = createRevision
        self.node = node
    }

    /// A single node without etcd leads for its whole life.
    package static func singleNode(_ node: String) -> LeadershipTerm { LeadershipTerm(leaseID: 0, createRevision: 0, node: node) }

    package var description: String { "lease \(String(leaseID, radix: 16)) (leader key revision \(createRevision))" }
}
