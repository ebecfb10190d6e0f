import Foundation
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

/// A recovery another node ran, as this node keeps it.
struct SharedRecoveryTests {
    func recovery() -> TopologyRecovery {
        TopologyRecovery(
            uid: "1:a", key: InstanceKey(hostname: "db1", port: 3306), analysis: "DeadMaster", clusterName: "db1:3306", clusterAlias: "shop",
            replicas: [InstanceKey(hostname: "db2", port: 3306)], type: "MasterRecovery", recoveryType: "MasterRecoveryGTID",
            startActivePeriod: Date(timeIntervalSince1970: 1000), processingNodeHostname: "n1", processingNodeToken: "t1"
        )
    }

    @Test func anEndedRecoveryIsKeptAsItWent() throws {
        var ended = recovery()
        ended.endRecovery = Date(timeIntervalSince1970: 1002)
        ended.successor = InstanceKey(hostname: "db2", port: 3306)
        ended.isSuccessful = true
        let shared = try #require(SharedRecovery(decoding: SharedRecovery(ended, node: "10.0.0.1:3000").encoded))
        let kept = try #require(shared.imported(at: Date(timeIntervalSince1970: 5000)))
        #expect(kept.isSuccessful && kept.successor == ended.successor && kept.endRecovery == ended.endRecovery)
        #expect(kept.key == ended.key && kept.clusterAlias == "shop" && kept.replicas == ended.replicas && kept.processingNodeHostname == "10.0.0.1:3000")
    }

    @Test func aRecoveryThatNeverEndedWasInterruptedAndFailed() throws {
        var running = recovery()
        running.lastStep = "promoting db2:3306"
        let shared = SharedRecovery(running, node: "10.0.0.1:3000", acting: true)
        #expect(!shared.wasAbandonedBeforeActing)
        let kept = try #require(shared.imported(at: Date(timeIntervalSince1970: 5000)))
        #expect(!kept.isSuccessful && kept.endRecovery == Date(timeIntervalSince1970: 5000))
        #expect(kept.allErrors == ["interrupted: 10.0.0.1:3000, which ran it, no longer leads; last step: promoting db2:3306"])
    }

    @Test func oneAbandonedBeforeItChangedAnyServerBlocksNobody() {
        #expect(SharedRecovery(recovery(), node: "10.0.0.1:3000").wasAbandonedBeforeActing)
        var ended = recovery()
        ended.endRecovery = Date(timeIntervalSince1970: 1001)
        #expect(!SharedRecovery(ended, node: "10.0.0.1:3000").wasAbandonedBeforeActing, "an ended one always counts")
    }
}
