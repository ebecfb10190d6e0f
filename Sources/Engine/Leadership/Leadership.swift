import Topology

/// Who leads the nodes: the leader alone runs automatic recoveries and operations; every node
/// probes and analyses. `SingleNodeLeadership` (no etcd) always leads; `EtcdLeadership`
/// campaigns through an etcd lease.
package protocol Leadership: Sendable {
    /// Where this node stands now. A leader whose lease ran out by its own clock is no longer
    /// reported as leader, even before its campaign loop notices.
    var state: LeadershipState { get }
    /// Whether several nodes share leadership (through etcd).
    var isDistributed: Bool { get }
    /// This node as it advertises itself to the others.
    var ownRecord: LeaderRecord { get }
    /// Right before an action: whether work started under `term` may still act (asks etcd).
    func verify(_ term: LeadershipTerm?) async -> FenceVerdict
    /// The nodes taking part (whose leases are alive), this one included.
    func nodes() async -> [LeaderRecord]
    /// Gives leadership up (`/api/reelect`): the lease goes, and this node does not campaign
    /// for a while, so another node leads. Returns why it cannot, if it cannot.
    func stepDown() async -> String?
}

/// The leadership term the current task's work was started under: set by whoever starts a
/// recovery or an operation on the leader, read by the fence before each change to a server.
/// Child tasks inherit it.
package enum LeadershipScope {
    @TaskLocal package static var term: LeadershipTerm?
}

/// A single node without etcd: always the leader, nothing to fence.
package struct SingleNodeLeadership: Leadership {
    package let ownRecord: LeaderRecord

    package init(ownRecord: LeaderRecord) {
        self.ownRecord = ownRecord
    }

    package var state: LeadershipState { .leader(.singleNode(ownRecord.node)) }
    package var isDistributed: Bool { false }
    package func verify(_ term: LeadershipTerm?) async -> FenceVerdict { .proceed }
    package func nodes() async -> [LeaderRecord] { [ownRecord] }
    package func stepDown() async -> String? { "a single node without etcd is always the leader" }
}
