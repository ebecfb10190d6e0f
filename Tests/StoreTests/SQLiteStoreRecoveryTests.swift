import Foundation
import Store
import Testing
import Topology

struct SQLiteStoreRecoveryTests {
    let master = InstanceKey(hostname: "127.0.0.1", port: 10111)
    let replica = InstanceKey(hostname: "127.0.0.1", port: 10112)
    let start = Date(timeIntervalSince1970: 1_790_000_000)

    func recovery(_ key: InstanceKey, cluster: String = "127.0.0.1:10111", uid: String, at date: Date, token: String = "token") -> TopologyRecovery {
        TopologyRecovery(
            uid: uid, key: key, analysis: "DeadMaster", clusterName: cluster, clusterAlias: "main", replicas: [replica],
            type: "MasterRecovery", recoveryType: "MasterRecoveryGTID", startActivePeriod: date, processingNodeHostname: "node", processingNodeToken: token
        )
    }

    func register(_ store: SQLiteStore, _ recovery: TopologyRecovery, forced: Bool = false) async throws -> RecoveryRegistration {
        try await store.registerRecovery(recovery, blockOnRecentSuccessor: !forced, blockOnActiveCluster: !forced, forced: forced)
    }

    @Test func oneActiveRecoveryPerFailedInstanceAndTheClusterIsBlocked() async throws {
        let store = try SQLiteStore.inMemory()
        let detection = try await store.registerFailureDetection(FailureDetection(
            key: master, analysis: "DeadMaster", clusterName: "127.0.0.1:10111", clusterAlias: "main", countReplicas: 1, replicas: [replica],
            isActionable: true, startActivePeriod: start, processingNodeHostname: "node", processingNodeToken: "token"
        ))
        guard case .registered(let first) = try await register(store, recovery(master, uid: "a", at: start)) else {
            Issue.record("not registered")
            return
        }
        #expect(first.lastDetectionID == detection)
        #expect(try await store.failureDetections().first?.relatedRecoveryID == first.id)
        #expect(try await register(store, recovery(master, uid: "b", at: start)) == .alreadyActive)
        // Another instance of the same cluster: blocked, and the attempt is listed.
        let other = InstanceKey(hostname: "127.0.0.1", port: 10113)
        #expect(try await register(store, recovery(other, uid: "c", at: start)) == .blocked(by: [first.id]))
        let blocked = try await store.blockedRecoveries()
        #expect(blocked.map(\.key) == [other])
        #expect(blocked.first?.blockingRecoveryID == first.id)
    }

    @Test func aPromotedReplicaCannotBeFailedOverAgainUntilAcknowledged() async throws {
        let store = try SQLiteStore.inMemory()
        guard case .registered(var first) = try await register(store, recovery(master, uid: "a", at: start)) else {
            Issue.record("not registered")
            return
        }
        first.successor = replica
        first.isSuccessful = true
        first.lostTransactions = ""
        try await store.resolveRecovery(first, at: start.addingTimeInterval(1))
        // The new master's cluster has a new name: the successor rule is what blocks it.
        let second = recovery(replica, cluster: "127.0.0.1:10112", uid: "b", at: start.addingTimeInterval(60))
        #expect(try await register(store, second) == .blocked(by: [first.id]))
        #expect(try await store.acknowledgeRecoveries(.cluster(name: "127.0.0.1:10111", alias: ""), by: "ops", comment: "checked", at: start.addingTimeInterval(61)) == 1)
        guard case .registered = try await register(store, second) else {
            Issue.record("still blocked after acknowledgement")
            return
        }
        let listed = try await store.recoveries(RecoveryQuery())
        #expect(listed.map(\.uid) == ["b", "a"])
        #expect(listed[1].isAcknowledged && listed[1].acknowledgedBy == "ops" && !listed[1].isActive)
        #expect(listed[1].successor == replica && listed[1].isSuccessful)
    }

    @Test func stepsAreRecordedInOrderAndAnInterruptedRecoverySaysHowFarItGot() async throws {
        let store = try SQLiteStore.inMemory()
        guard case .registered(let first) = try await register(store, recovery(master, uid: "a", at: start, token: "old-process")) else {
            Issue.record("not registered")
            return
        }
        try await store.appendRecoveryStep(uid: "a", message: "[+0 ms] stop the IO thread of 127.0.0.1:10112", at: start)
        try await store.appendRecoveryStep(uid: "a", message: "[+10 ms] promote 127.0.0.1:10112", at: start.addingTimeInterval(0.01))
        #expect(try await store.recoverySteps(uid: "a").map(\.message) == ["[+0 ms] stop the IO thread of 127.0.0.1:10112", "[+10 ms] promote 127.0.0.1:10112"])
        let interrupted = try await store.endInterruptedRecoveries(exceptToken: "new-process", at: start.addingTimeInterval(5))
        #expect(interrupted.map(\.uid) == ["a"])
        let after = try await store.recoveries(RecoveryQuery())
        #expect(after.first?.allErrors.first?.hasSuffix("during: promote 127.0.0.1:10112") == true)
        // Still active: the same failure is not recovered a second time.
        #expect(after.first?.isActive == true)
        // The failure seen again is recorded as blocked by the interrupted recovery, until acknowledged.
        #expect(try await register(store, recovery(master, uid: "b", at: start.addingTimeInterval(6))) == .blocked(by: [first.id]))
        #expect(try await store.blockedRecoveries().map(\.key) == [master])
        try await store.acknowledgeRecoveries(.id(first.id), by: "ops", comment: "looked", at: start.addingTimeInterval(7))
        guard case .registered = try await register(store, recovery(master, uid: "c", at: start.addingTimeInterval(8))) else {
            Issue.record("still blocked after acknowledgement")
            return
        }
    }

    @Test func theActivePeriodExpiresAndForcedRecoveriesAcknowledgeCompletedOnes() async throws {
        let store = try SQLiteStore.inMemory()
        guard case .registered(let first) = try await register(store, recovery(master, uid: "a", at: start)) else {
            Issue.record("not registered")
            return
        }
        try await store.resolveRecovery(first, at: start.addingTimeInterval(1))
        guard case .registered = try await register(store, recovery(master, uid: "b", at: start.addingTimeInterval(2)), forced: true) else {
            Issue.record("a forced recovery was refused")
            return
        }
        let previous = try await store.recoveries(RecoveryQuery()).last
        #expect(previous?.isAcknowledged == true)
        #expect(previous?.acknowledgedComment.hasPrefix("implicit acknowledge") == true)
        #expect(try await store.recoveriesInActivePeriod().map(\.uid) == ["b"])
        #expect(try await store.expireRecoveries(startedBefore: start.addingTimeInterval(1), at: start.addingTimeInterval(3)) == 0)
        #expect(try await store.expireRecoveries(startedBefore: start.addingTimeInterval(3), at: start.addingTimeInterval(3)) == 1)
        #expect(try await store.recoveriesInActivePeriod().isEmpty)
    }

    @Test func globalDisableAndCandidates() async throws {
        let store = try SQLiteStore.inMemory()
        #expect(try await store.areGlobalRecoveriesDisabled() == false)
        try await store.setGlobalRecoveriesDisabled(true)
        try await store.setGlobalRecoveriesDisabled(true)
        #expect(try await store.areGlobalRecoveriesDisabled())
        try await store.setGlobalRecoveriesDisabled(false)
        #expect(try await store.areGlobalRecoveriesDisabled() == false)
        try await store.registerCandidate(replica, rule: .prefer, at: start)
        try await store.registerCandidate(replica, rule: .mustNot, at: start.addingTimeInterval(10))
        #expect(try await store.promotionRules(registeredSince: start) == [replica: .mustNot])
        #expect(try await store.expireCandidates(registeredBefore: start.addingTimeInterval(11)) == 1)
        #expect(try await store.promotionRules(registeredSince: start).isEmpty)
    }
}
