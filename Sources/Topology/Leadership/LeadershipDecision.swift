/// The decisions of leadership through an etcd lease, as functions of what etcd answered and
/// how much of this node's lease is left by its own clock (`docs/high-availability.md`).
package enum LeadershipDecision {
    /// Where a node stands after a campaign round in which etcd answered: `key` is the leader
    /// key as it is now (after this node's create-if-absent), `ownLease` the lease this node
    /// campaigns with, `leaseRemaining` how long that lease surely lasts (the TTL etcd granted,
    /// counted from when the last keepalive was *sent*).
    package static func state(node: String, ownLease: Int64?, key: LeaderKey?, leaseRemaining: Duration) -> LeadershipState {
        guard let key else {
            return .unknown(reason: ownLease == nil ? "no leader: this node holds no lease to campaign with" : "no leader: the leader key is absent")
        }
        if let ownLease, key.leaseID == ownLease {
            guard leaseRemaining > .zero else {
                return .unknown(reason: "this node's lease \(String(ownLease, radix: 16)) ran out before a keepalive confirmed it")
            }
            return .leader(LeadershipTerm(leaseID: ownLease, createRevision: key.createRevision, node: node))
        }
        guard let record = key.record else { return .unknown(reason: "the leader key holds no leader record: \(key.holder)") }
        if record.node == node {
            // Written by this node under a lease it gave up (it ran out here first): that lease
            // must end before anyone leads.
            return .unknown(reason: "the leader key still names this node under its earlier lease \(String(key.leaseID, radix: 16))")
        }
        return .follower(leader: record)
    }

    /// Where a node stands when etcd did not answer: a leader whose lease surely still runs
    /// stays leader (nobody else can hold the key before that lease ends); anyone else no
    /// longer knows who leads.
    package static func stateWithoutEtcd(previous: LeadershipState, error: String, leaseRemaining: Duration) -> LeadershipState {
        if previous.isLeader, leaseRemaining > .zero { return previous }
        return .unknown(reason: "etcd unreachable: \(error)")
    }

    /// Whether work started under `term` may act now: the leader key must still be the one that
    /// term created (same creation revision, same lease), and this node's lease must surely
    /// last at least `margin` more, so the action lands before anyone else can lead.
    package static func fence(_ term: LeadershipTerm?, key: LeaderKey?, leaseRemaining: Duration, margin: Duration) -> FenceVerdict {
        guard let term else { return .refuse("not started by the leader: operations run on the leader only") }
        guard let key else {
            return .refuse("the leader key is gone: \(term) ended (its lease expired or was revoked)")
        }
        guard key.createRevision == term.createRevision, key.leaseID == term.leaseID else {
            return .refuse("leadership moved to \(key.holder) (lease \(String(key.leaseID, radix: 16)), revision \(key.createRevision)); this work started under \(term)")
        }
        guard leaseRemaining >= margin else {
            return .refuse("\(term) may expire before the action lands: \(leaseRemaining.wholeMilliseconds) ms left without a confirmed keepalive")
        }
        return .proceed
    }
}

/// The answer of `LeadershipDecision.fence`.
package enum FenceVerdict: Sendable, Equatable {
    case proceed
    case refuse(String)
}
