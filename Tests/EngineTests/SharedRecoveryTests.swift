import Engine
import Foundation
import OrchestratorTesting
import Sandbox
import Store
import Testing
import Topology

/// Recoveries shared through a real etcd: a recovery another node left half-done blocks the
/// same failure here until acknowledged; then this node recovers and publishes how it went.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct SharedRecoveryTests {
    @Test func aRecoveryAnotherLeaderLeftHalfDoneBlocksUntilAcknowledged() async throws {
        try await withEtcd { etcd in
            try await withSandbox(topology: "1>0,2>0") { sandbox in
                try await withDetection(recovery: RecoveryConfiguration(), configure: { $0.leadership = LeadershipTests.configuration(etcd, node: 0) }) { harness in
                    try await Self.halfDoneElsewhere(sandbox, harness, acknowledgedElsewhere: false)
                }
            }
        }
    }

    /// The leader that ran it, or any later one, acknowledged it: it left etcd, and this node,
    /// which took it in, counts it as acknowledged too.
    @Test func aRecoveryAcknowledgedOnAnotherNodeNoLongerBlocksHere() async throws {
        try await withEtcd { etcd in
            try await withSandbox(topology: "1>0,2>0") { sandbox in
                try await withDetection(recovery: RecoveryConfiguration(), configure: { $0.leadership = LeadershipTests.configuration(etcd, node: 0) }) { harness in
                    try await Self.halfDoneElsewhere(sandbox, harness, acknowledgedElsewhere: true)
                }
            }
        }
    }

    /// A graceful takeover is published like a recovery: the other nodes take it in once it
    /// ended (their audit-recovery shows it), and a leader that took over while it ran would
    /// find it half-done.
    @Test func aGracefulTakeoverIsSharedLikeARecovery() async throws {
        var configuration = RecoveryConfiguration()
        configuration.replicationCredentialsQuery = "SELECT '\(Sandbox.replicationCredentials.user)', '\(Sandbox.replicationCredentials.password.revealed)'"
        try await withEtcd { etcd in
            try await withSandbox(topology: "1>0,2>0") { sandbox in
                try await withDetection(recovery: configuration, configure: { $0.leadership = LeadershipTests.configuration(etcd, node: 0) }) { harness in
                    let keys = try await DetectionTests.discovered(sandbox, harness)
                    let engine = harness.engine
                    try #require(try await expectEventually(timeout: .seconds(30)) { engine.leadership.state.isLeader })
                    let term = try #require(engine.leadership.state.term)
                    let record = try await LeadershipScope.$term.withValue(term) {
                        try await engine.recovery.gracefulMasterTakeover(clusterName: keys[0].description, designated: keys[1], auto: false)
                    }
                    #expect(record.successor == keys[1], "\(record.allErrors)")
                    let shared = try #require(engine.leadership as? EtcdLeadership).sharedRecoveries(activePeriodSeconds: 3600)
                    let published = try await shared.all().first { $0.uid == record.uid }
                    #expect(published?.ended != nil && published?.successor == keys[1].description, "published: \(String(describing: published))")
                    #expect(published?.commandHint.hasPrefix("graceful-master-takeover") == true, "\(String(describing: published?.commandHint))")
                }
            }
        }
    }

    static func halfDoneElsewhere(_ sandbox: Sandbox, _ harness: DetectionHarness, acknowledgedElsewhere: Bool) async throws {
        let keys = try await DetectionTests.discovered(sandbox, harness)
        let engine = harness.engine
        try #require(try await expectEventually(timeout: .seconds(30)) { engine.leadership.state.isLeader })
        let etcdLeadership = try #require(engine.leadership as? EtcdLeadership)
        let shared = etcdLeadership.sharedRecoveries(activePeriodSeconds: 3600)
        // Another node (since gone) registered a recovery of this master and died in it.
        var elsewhere = TopologyRecovery(
            uid: "1:elsewhere", key: keys[0], analysis: "DeadMaster", clusterName: keys[0].description, clusterAlias: keys[0].description,
            replicas: [keys[1], keys[2]], type: "MasterRecovery", recoveryType: "MasterRecoveryGTID", startActivePeriod: Date(),
            processingNodeHostname: "gone", processingNodeToken: "gone-token"
        )
        elsewhere.lastStep = "stopping the IO thread of the replicas"
        let term = try #require(engine.leadership.state.term)
        #expect(try await shared.publish(SharedRecovery(elsewhere, node: "127.0.0.1:49999", acting: true), term: term))

        try sandbox.kill(0)
        let blocked = try await expectEventually(timeout: .seconds(30)) {
            try await engine.store.recoveries(RecoveryQuery()).contains { $0.uid == "1:elsewhere" }
        }
        try #require(blocked, "the shared recovery was taken in")
        let records = try await engine.store.recoveries(RecoveryQuery())
        #expect(records.count == 1 && records.first?.isSuccessful == false, "\(records)")
        #expect(records.first?.allErrors.first?.contains("interrupted: 127.0.0.1:49999") == true, "\(records)")
        // Audited right after it was taken in.
        let audited = try await expectEventually { try await engine.store.auditEntries(page: 0, pageSize: 100).contains { $0.type == "recovery-shared" } }
        #expect(audited, "taking it in is audited")
        // Given time, no recovery of the same failure runs here.
        let ranAnyway = try await expectEventually(timeout: .seconds(3)) { try await engine.store.recoveries(RecoveryQuery()).count > 1 }
        #expect(!ranAnyway, "blocked by the recovery another node left half-done")

        if acknowledgedElsewhere {
            try await shared.forget("1:elsewhere")
            let acknowledged = try await expectEventually {
                try await engine.store.recoveries(RecoveryQuery()).first { $0.uid == "1:elsewhere" }?.isAcknowledged == true
            }
            #expect(acknowledged, "acknowledged here once it left etcd")
        } else {
            try await engine.store.acknowledgeRecoveries(.uid("1:elsewhere"), by: "test", comment: "checked", at: Date())
            await engine.recovery.forgetAcknowledgedSharedRecoveries()
            // Only that one: once it is acknowledged nothing blocks, and this node's own recovery
            // of the dead master may be published already.
            #expect(!(try await shared.all().contains { $0.uid == "1:elsewhere" }), "the acknowledged recovery left etcd")
        }
        let recovered = try await expectEventually(timeout: .seconds(60)) {
            try await shared.all().contains { $0.isSuccessful && $0.successor != nil && $0.ended != nil }
        }
        let published = try await shared.all()
        #expect(recovered, "this node recovered and published how it went: \(published)")
    }
}
