import Engine
import Foundation
import OrchestratorTesting
import Sandbox
import Secrets
import Store
import Testing
import Topology

/// Recovery rules on real servers: intermediate masters, promotion rules, anti-flapping, hook veto.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct RecoveryScenarioTests {
    @Test func killedIntermediateMastersReplicaReplicatesAgain() async throws {
        try await withSandbox(topology: "1>0,2>0,3>2") { sandbox in
            try await withDetection(recovery: RecoveryConfiguration()) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                try sandbox.kill(2)
                let recovery = try #require(try await RecoveryTests.finishedRecovery(of: keys[2], harness))
                #expect(recovery.isSuccessful, "\(recovery.allErrors)")
                #expect(recovery.type == "IntermediateMasterRecovery")
                #expect(recovery.successor == keys[0])
                #expect(recovery.participatingInstances == [keys[0], keys[3]])
                let state = try await RecoveryTests.replication(sandbox, 3)
                #expect(state.masterPort == keys[0].port && state.running)
            }
        }
    }

    @Test func promotionRulesDecideAmongEquallyAdvancedReplicas() async throws {
        try await withSandbox(topology: "1>0,2>0,3>0") { sandbox in
            try await withDetection(recovery: RecoveryConfiguration()) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                try await harness.store.registerCandidate(keys[1], rule: .mustNot, at: Date())
                try await harness.store.registerCandidate(keys[2], rule: .prefer, at: Date())
                try sandbox.kill(0)
                let recovery = try #require(try await RecoveryTests.finishedRecovery(of: keys[0], harness))
                #expect(recovery.successor == keys[2], "\(recovery.planSummary)")
                #expect(recovery.planSummary.contains("(promotion rule)"))
                // Its exclusion names the rule (beside any other reason it had, such as a probe
                // that timed out on a loaded machine).
                let excluded = recovery.planSummary.components(separatedBy: "not promotable: ").dropFirst().first ?? ""
                let exclusion = excluded.components(separatedBy: "\(keys[1]): ").dropFirst().first?.components(separatedBy: "127.0.0.1:").first ?? ""
                #expect(exclusion.contains("promotion rule must_not"), "\(recovery.planSummary)")
            }
        }
    }

    @Test func aMustNotReplicaIsNeverPromotedEvenWhenItAloneIsUpToDate() async throws {
        try await withSandbox(topology: "1>0,2>0") { sandbox in
            try await withDetection(recovery: RecoveryConfiguration()) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                // Instance 2 stops replicating; the master then writes what only instance 1 gets.
                let lagging = try await sandbox.connect(2)
                _ = try await lagging.execute("STOP SLAVE")
                await lagging.close()
                let writer = try await SandboxWriter.start(on: sandbox, index: 0)
                try #require(await writer.waitUntilAcknowledged(20), "the writer was writing")
                writer.stop()
                await writer.finished()
                try await harness.store.registerCandidate(keys[1], rule: .mustNot, at: Date())
                // Instance 1 holds every acknowledged row before the master dies.
                let relayed = try await expectEventually(timeout: .seconds(30)) {
                    Set(writer.acknowledgedRows).isSubset(of: (try? await rows(on: sandbox, index: 1)) ?? [])
                }
                try #require(relayed, "instance 1 received the writes")
                try sandbox.kill(0)
                let recovery = try #require(try await RecoveryTests.finishedRecovery(of: keys[0], harness))
                // Instance 1 relays what only it received to instance 2, which becomes the master.
                #expect(recovery.successor == keys[2], "\(recovery.planSummary) \(recovery.allErrors)")
                #expect(recovery.planSummary.contains("after catching up from \(keys[1])"))
                let held = try await rows(on: sandbox, index: 2)
                #expect(Set(writer.acknowledgedRows).isSubset(of: held))
                let state = try await RecoveryTests.replication(sandbox, 1)
                #expect(state.masterPort == keys[2].port && state.running)
            }
        }
    }

    @Test func aSecondMasterCrashWithinTheBlockPeriodWaitsForAnAcknowledgement() async throws {
        try await withSandbox(topology: "1>0,2>0,3>0") { sandbox in
            try await withDetection(recovery: RecoveryConfiguration()) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                try sandbox.kill(0)
                let first = try #require(try await RecoveryTests.finishedRecovery(of: keys[0], harness))
                let promoted = try #require(first.successor)
                let promotedIndex = try #require(keys.firstIndex(of: promoted))
                // Let discovery see the new topology, then kill the new master too.
                let settled = try await expectEventually(timeout: .seconds(30)) {
                    await harness.discovery.registry.replicas(of: promoted).filter(\.isReplicationRunning).count == 2
                }
                try #require(settled)
                try sandbox.kill(promotedIndex)
                let blocked = try await expectEventually(timeout: .seconds(30)) {
                    ((try? await harness.store.blockedRecoveries()) ?? []).contains { $0.key == promoted && $0.blockingRecoveryID == first.id }
                }
                try #require(blocked, "the second failure is recorded as blocked")
                var query = RecoveryQuery()
                query.failedInstance = promoted
                #expect(try await harness.store.recoveries(query).isEmpty, "not recovered while blocked")

                try await harness.store.acknowledgeRecoveries(.id(first.id), by: "test", comment: "first one checked", at: Date())
                let second = try #require(try await RecoveryTests.finishedRecovery(of: promoted, harness))
                #expect(second.isSuccessful, "\(second.allErrors)")
                let survivor = try #require(second.successor)
                #expect(survivor != keys[0] && survivor != promoted)
            }
        }
    }

    @Test func aFailingPreFailoverHookAbortsTheRecoveryAndSaysWhy() async throws {
        var configuration = RecoveryConfiguration()
        configuration.preFailoverProcesses = ["echo 'not now: {failureType} on {failedPort}'; exit 1"]
        try await withSandbox(topology: "1>0,2>0") { sandbox in
            try await withDetection(recovery: configuration) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                try sandbox.kill(0)
                let recovery = try #require(try await RecoveryTests.finishedRecovery(of: keys[0], harness))
                #expect(!recovery.isSuccessful)
                #expect(recovery.successor == nil)
                let reason = recovery.allErrors.first ?? ""
                #expect(reason.hasPrefix("aborted by PreFailoverProcesses"), "\(recovery.allErrors)")
                #expect(reason.contains("exit 1") && reason.contains("not now: DeadMaster on \(keys[0].port)"))
                for index in [1, 2] {
                    let state = try await RecoveryTests.replication(sandbox, index)
                    #expect(state.masterPort == keys[0].port, "instance \(index) was left alone")
                }
            }
        }
    }
}

/// Planned switchovers on real servers.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct GracefulTakeoverTests {
    @Test func gracefulTakeoverLosesNothingAndTheOldMasterFollows() async throws {
        var configuration = RecoveryConfiguration()
        configuration.replicationCredentialsQuery = "SELECT '\(Sandbox.replicationCredentials.user)', '\(Sandbox.replicationCredentials.password.revealed)'"
        try await withSandbox(topology: "1>0,2>0,3>0") { sandbox in
            try await withDetection(recovery: configuration) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                let recovery = try #require(harness.recovery)
                let writer = try await SandboxWriter.start(on: sandbox, index: 0)
                #expect(await writer.waitUntilAcknowledged(20), "the writer was writing")
                let record = try await recovery.gracefulMasterTakeover(clusterName: keys[0].description, designated: keys[2], auto: false)
                await writer.finished()
                let acknowledged = writer.acknowledgedRows
                #expect(acknowledged.count > 10, "the writer was writing")
                #expect(record.successor == keys[2] && record.isSuccessful, "\(record.allErrors)")
                #expect(record.commandHint == "graceful-master-takeover")
                let held = try await rows(on: sandbox, index: 2)
                #expect(Set(acknowledged).isSubset(of: held), "missing: \(Set(acknowledged).subtracting(held).sorted())")

                for index in [0, 1, 3] {
                    let state = try await RecoveryTests.replication(sandbox, index)
                    let detail = await RecoveryTests.replicationDetail(sandbox, index)
                    #expect(state.masterPort == keys[2].port && state.running, "instance \(index): \(state) \(detail)")
                }
                let newMaster = try await sandbox.connect(2)
                _ = try await newMaster.execute("INSERT INTO orc_test.t (id) VALUES (2000000)")
                await newMaster.close()
                let followed = try await expectEventually(timeout: .seconds(30)) {
                    ((try? await rows(on: sandbox, index: 0)) ?? []).contains(2_000_000)
                }
                try #require(followed, "the old master replicates from the new one")
                // A planned takeover leaves nothing lost behind: the old master is not downtimed.
                #expect(await harness.discovery.registry.instance(keys[0])?.downtime == nil)
                #expect(try await harness.store.downtimes().isEmpty)
            }
        }
    }

    @Test func gracefulTakeoverRefusesWhatItCannotFinish() async throws {
        try await withSandbox(topology: "1>0,2>0") { sandbox in
            try await withDetection(recovery: RecoveryConfiguration()) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                let recovery = try #require(harness.recovery)
                await #expect(throws: TakeoverError.self) {
                    try await recovery.gracefulMasterTakeover(clusterName: keys[0].description, designated: nil, auto: false)
                }
                do {
                    _ = try await recovery.gracefulMasterTakeover(clusterName: keys[0].description, designated: keys[1], auto: false)
                    Issue.record("a takeover without replication credentials for the old master went ahead")
                } catch {
                    #expect("\(error)".contains("set ReplicationCredentialsQuery"))
                }
                // Nothing changed: the master is still writable and replicated.
                let state = try await RecoveryTests.replication(sandbox, 1)
                #expect(state.masterPort == keys[0].port && state.running)
            }
        }
    }
}
