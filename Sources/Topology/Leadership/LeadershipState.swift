/// Where a node stands: leading (under a term), following a known leader, or not knowing
/// (etcd unreachable, no leader yet) and saying why.
package enum LeadershipState: Sendable, Equatable {
    case leader(LeadershipTerm)
    case follower(leader: LeaderRecord)
    case unknown(reason: String)

    package var term: LeadershipTerm? {
        if case .leader(let term) = self { return term }
        return nil
    }

    package var isLeader: Bool { term != nil }

    /// orchestrator's raft state names (`/api/raft-state`): a node that knows no leader is
    /// campaigning, which raft calls `Candidate`.
    package var raftState: String {
        switch self {
        case .leader: "Leader"
        case .follower: "Follower"
        case .unknown: "Candidate"
        }
    }

    /// `/api/raft-health`: healthy while a leader is known (this node or another).
    package var isHealthy: Bool {
        if case .unknown = self { return false }
        return true
    }

    /// Why nobody can be named leader, when that is the case.
    package var problem: String? {
        if case .unknown(let reason) = self { return reason }
        return nil
    }

    /// The leader's node name when known.
    package var leaderNode: String? {
        switch self {
        case .leader(let term): term.node
        case .follower(let leader): leader.node
        case .unknown: nil
        }
    }
}
