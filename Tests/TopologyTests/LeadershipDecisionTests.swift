import Testing
import Topology

/// Leadership through an etcd lease, decided from what etcd answered and the lease left by the
/// node's own clock.
struct LeadershipDecisionTests {
    let me = LeaderRecord(node: "127.0.0.1:3000", url: "http://127.0.0.1:3000")
    let other = LeaderRecord(node: "127.0.0.1:3001", url: "http://127.0.0.1:3001")

    @Test func theNodeWhoseLeaseHoldsTheKeyLeads() {
        let key = LeaderKey(leaseID: 7, createRevision: 42, value: me.encoded)
        let state = LeadershipDecision.state(node: me.node, ownLease: 7, key: key, leaseRemaining: .seconds(2))
        #expect(state == .leader(LeadershipTerm(leaseID: 7, createRevision: 42, node: me.node)))
        #expect(state.raftState == "Leader" && state.isHealthy && state.leaderNode == me.node)
    }

    @Test func anotherNodesKeyMakesAFollowerThatKnowsWhereTheLeaderAnswers() {
        let key = LeaderKey(leaseID: 9, createRevision: 42, value: other.encoded)
        let state = LeadershipDecision.state(node: me.node, ownLease: 7, key: key, leaseRemaining: .seconds(2))
        #expect(state == .follower(leader: other))
        #expect(state.raftState == "Follower" && state.isHealthy && state.leaderNode == other.node)
    }

    @Test func aLeaseThatRanOutByTheNodesOwnClockIsNoLeadership() {
        let key = LeaderKey(leaseID: 7, createRevision: 42, value: me.encoded)
        let state = LeadershipDecision.state(node: me.node, ownLease: 7, key: key, leaseRemaining: .zero)
        #expect(!state.isLeader && !state.isHealthy && state.raftState == "Candidate")
        #expect(state.problem?.contains("ran out") == true)
    }

    @Test func theNodesOwnKeyUnderAnEarlierLeaseIsNotFollowed() {
        // It must never forward operations to itself.
        let key = LeaderKey(leaseID: 5, createRevision: 40, value: me.encoded)
        let state = LeadershipDecision.state(node: me.node, ownLease: 7, key: key, leaseRemaining: .seconds(2))
        #expect(state.problem?.contains("earlier lease") == true)
    }

    @Test func aValueThatIsNoRecordNamesNoLeader() {
        let key = LeaderKey(leaseID: 9, createRevision: 42, value: "garbage")
        #expect(LeadershipDecision.state(node: me.node, ownLease: 7, key: key, leaseRemaining: .seconds(2)).problem?.contains("garbage") == true)
    }

    @Test func withoutEtcdALeaderKeepsLeadingOnlyWhileItsLeaseSurelyRuns() {
        let leading = LeadershipState.leader(LeadershipTerm(leaseID: 7, createRevision: 42, node: me.node))
        #expect(LeadershipDecision.stateWithoutEtcd(previous: leading, error: "refused", leaseRemaining: .milliseconds(900)) == leading)
        let lapsed = LeadershipDecision.stateWithoutEtcd(previous: leading, error: "connection refused", leaseRemaining: .zero)
        #expect(lapsed == .unknown(reason: "etcd unreachable: connection refused"))
        let following = LeadershipState.follower(leader: other)
        #expect(LeadershipDecision.stateWithoutEtcd(previous: following, error: "timeout", leaseRemaining: .seconds(2)).problem == "etcd unreachable: timeout")
    }

    @Test func workProceedsOnlyUnderTheTermThatStartedIt() {
        let term = LeadershipTerm(leaseID: 7, createRevision: 42, node: me.node)
        let same = LeaderKey(leaseID: 7, createRevision: 42, value: me.encoded)
        #expect(LeadershipDecision.fence(term, key: same, leaseRemaining: .seconds(1), margin: .milliseconds(300)) == .proceed)
    }

    @Test(arguments: [
        // Another node won after this node's lease expired.
        (LeaderKey(leaseID: 9, createRevision: 50, value: LeaderRecord(node: "127.0.0.1:3001", url: "").encoded), Duration.seconds(1), "moved to 127.0.0.1:3001"),
        // This node won again, but under a new term: work of the old term stops.
        (LeaderKey(leaseID: 8, createRevision: 50, value: LeaderRecord(node: "127.0.0.1:3000", url: "").encoded), Duration.seconds(1), "moved to 127.0.0.1:3000"),
        // Same key, but the lease may run out before the action lands.
        (LeaderKey(leaseID: 7, createRevision: 42, value: ""), Duration.milliseconds(100), "may expire"),
    ])
    func workOfAnEndedTermIsRefusedSayingWhy(key: LeaderKey, remaining: Duration, reason: String) {
        let term = LeadershipTerm(leaseID: 7, createRevision: 42, node: me.node)
        guard case .refuse(let why) = LeadershipDecision.fence(term, key: key, leaseRemaining: remaining, margin: .milliseconds(300)) else {
            Issue.record("not refused")
            return
        }
        #expect(why.contains(reason), "\(why)")
    }

    @Test func noKeyOrNoTermIsRefused() {
        let term = LeadershipTerm(leaseID: 7, createRevision: 42, node: me.node)
        #expect(LeadershipDecision.fence(term, key: nil, leaseRemaining: .seconds(1), margin: .zero) != .proceed)
        #expect(LeadershipDecision.fence(nil, key: LeaderKey(leaseID: 7, createRevision: 42, value: ""), leaseRemaining: .seconds(1), margin: .zero) != .proceed)
    }

    @Test func theLeaderRecordRoundTripsThroughTheKeysValue() {
        #expect(me.encoded == #"{"Node":"127.0.0.1:3000","URL":"http://127.0.0.1:3000"}"#)
        #expect(LeaderRecord(decoding: me.encoded) == me)
        #expect(LeaderRecord(decoding: "{}") == nil)
    }
}

struct LeadershipStateProblemTests {
    @Test func problemNamesWhy() {
        let state = LeadershipState.unknown(reason: "etcd unreachable: etcd http://127.0.0.1:1: x")
        #expect(state.problem?.contains("etcd unreachable") == true)
        #expect(LeadershipState.follower(leader: LeaderRecord(node: "a", url: "b")).problem == nil)
    }
}
