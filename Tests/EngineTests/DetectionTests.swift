import Engine
import Foundation
import OrchestratorTesting
import Sandbox
import Store
import Testing
import Topology

/// Failure detection against real servers: kill, stop, freeze, and what the analysis says.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct DetectionTests {
    /// Discovers `1>0,2>0,3>2` and waits until every instance has been checked successfully.
    static func discovered(_ sandbox: Sandbox, _ harness: DetectionHarness) async throws -> [InstanceKey] {
        let keys = sandbox.instances.map { localKey($0.port) }
        try await harness.discovery.discover(keys[0])
        try await requireDiscovered(keys, in: harness.discovery.registry)
        return keys
    }

    @Test func killedMasterIsDeadMasterWithCountsRecordAndHook() async throws {
        let hookFile = FileManager.default.temporaryDirectory.appendingPathComponent("orchestrator-hook-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: hookFile) }
        let hook = "echo \"$ORC_FAILURE_TYPE {failedPort} $ORC_COUNT_REPLICAS {isMaster} {successorHost}|\" >> \(hookFile)"
        try await withSandbox(topology: "1>0,2>0,3>2") { sandbox in
            try await withDetection(hooks: [hook]) { harness in
                let keys = try await Self.discovered(sandbox, harness)
                try sandbox.kill(0)
                let dead = try await expectEventually(timeout: .seconds(30)) {
                    await harness.entry(keys[0])?.analysis == .deadMaster
                }
                try #require(dead)
                let entry = try #require(await harness.entry(keys[0]))
                #expect(entry.countReplicas == 2)
                #expect(entry.countValidReplicas == 2)
                #expect(entry.countValidReplicatingReplicas == 0)
                #expect(entry.isMaster && !entry.lastCheckValid)
                #expect(Set(entry.replicas) == [keys[1], keys[2]])
                // DeadMaster needs no replica replicating, not each one's "error reconnecting"
                // (analysis.md §5): a replica still retrying its first reconnect shows no error
                // yet. Both report it within a retry or two.
                let failing = try await expectEventually(timeout: .seconds(30)) {
                    await harness.entry(keys[0])?.countReplicasFailingToConnectToMaster == 2
                }
                #expect(failing, "both replicas report failing to connect to the dead master")
                let recorded = try await expectEventually(timeout: .seconds(30)) {
                    let rows = (try? await harness.store.failureDetections()) ?? []
                    return rows.contains {
                        $0.key == keys[0] && $0.analysis == "DeadMaster" && $0.isActionable && $0.countReplicas == 2
                            && $0.countValidReplicas == 2 && $0.countValidReplicatingReplicas == 0
                    }
                }
                try #require(recorded)
                let hooked = try await expectEventually(timeout: .seconds(30)) {
                    ((try? String(contentsOfFile: hookFile, encoding: .utf8)) ?? "").contains("DeadMaster")
                }
                try #require(hooked)
                let lines = ((try? String(contentsOfFile: hookFile, encoding: .utf8)) ?? "").split(separator: "\n")
                #expect(lines.filter { $0.hasPrefix("DeadMaster ") } == ["DeadMaster \(keys[0].port) 2 true |"])
                // The transient "unreachable" moment of a dying master is not recorded or hooked.
                let rows = try await harness.store.failureDetections()
                #expect(rows.map(\.analysis) == ["DeadMaster"], "\(rows.map { "\($0.analysis) at \($0.startActivePeriod.timeIntervalSince1970) valid \($0.countValidReplicas) replicating \($0.countValidReplicatingReplicas) failing \($0.countReplicasFailingToConnect)" })")
                #expect(lines.count == 1)
            }
        }
    }

    @Test func killedIntermediateMasterWithItsSingleReplicaFailing() async throws {
        try await withSandbox(topology: "1>0,2>0,3>2") { sandbox in
            try await withDetection { harness in
                let keys = try await Self.discovered(sandbox, harness)
                try sandbox.kill(2)
                let detected = try await expectEventually(timeout: .seconds(30)) {
                    await harness.entry(keys[2])?.analysis == .deadIntermediateMasterWithSingleReplicaFailingToConnect
                }
                try #require(detected)
                let entry = try #require(await harness.entry(keys[2]))
                #expect(entry.countReplicas == 1 && entry.countReplicasFailingToConnectToMaster == 1)
                #expect(await harness.entry(keys[0])?.analysis != .deadMaster)
            }
        }
    }

    @Test func stoppedReplicasOfALiveMasterAreNotADeadMaster() async throws {
        try await withSandbox(topology: "1>0,2>0,3>2") { sandbox in
            try await withDetection { harness in
                let keys = try await Self.discovered(sandbox, harness)
                for index in [1, 2] { _ = try await sandbox.connect(index).execute("STOP SLAVE") }
                let detected = try await expectEventually(timeout: .seconds(30)) {
                    await harness.entry(keys[0])?.analysis == .allMasterReplicasNotReplicating
                }
                try #require(detected)
                let seen = try await harness.codesSeen(for: keys[0], whileProbing: keys, probes: 3)
                #expect(seen == [.allMasterReplicasNotReplicating])
                let rows = try await harness.store.failureDetections()
                #expect(!rows.contains { $0.analysis == "DeadMaster" })
            }
        }
    }

    /// A semi-sync master with no semi-sync replica is first a hypothesis, then, once its
    /// coordinates have not moved for ReasonableLockedSemiSyncMasterSeconds, LockedSemiSyncMaster.
    @Test func semiSyncMasterWithoutAcknowledgingReplicasIsConfirmedLocked() async throws {
        try await withSandbox(topology: "1>0") { sandbox in
            try await withDetection(reasonableLockedSemiSyncMasterSeconds: 2) { harness in
                let keys = try await Self.discovered(sandbox, harness)
                let master = try await sandbox.connect(0)
                _ = try await master.execute("SET GLOBAL rpl_semi_sync_master_timeout = 600000")
                _ = try await master.execute("SET GLOBAL rpl_semi_sync_master_enabled = ON")
                let suspected = try await expectEventually(timeout: .seconds(30)) {
                    await harness.entry(keys[0])?.analysis == .lockedSemiSyncMasterHypothesis
                }
                try #require(suspected)
                let confirmed = try await expectEventually(timeout: .seconds(30)) {
                    await harness.entry(keys[0])?.analysis == .lockedSemiSyncMaster
                }
                try #require(confirmed)
                let entry = try #require(await harness.entry(keys[0]))
                #expect(entry.semiSyncMasterClients == 0 && entry.semiSyncMasterWaitForReplicaCount == 1)
                // Recorded by the next analysis (the one-second sweep: nothing about the master changes).
                let recorded = try await expectEventually(timeout: .seconds(30)) {
                    let rows = (try? await harness.store.failureDetections()) ?? []
                    return rows.contains { $0.analysis == "LockedSemiSyncMaster" && $0.isActionable }
                }
                try #require(recorded)
                let rows = try await harness.store.failureDetections()
                #expect(!rows.contains { $0.analysis == "LockedSemiSyncMasterHypothesis" })
            }
        }
    }

    @Test func frozenMasterIsNoticedWithinTheTimeoutsAndClearsWhenResumed() async throws {
        try await withSandbox(topology: "1>0,2>0,3>2") { sandbox in
            try await withDetection { harness in
                let keys = try await Self.discovered(sandbox, harness)
                try sandbox.kill(0, signal: SIGSTOP)
                // Replicas keep their IO thread "connected" to a frozen server, so it is unreachable, not dead.
                let noticed = try await expectEventually(timeout: .seconds(30)) {
                    await harness.entry(keys[0])?.analysis == .unreachableMaster
                }
                try sandbox.kill(0, signal: SIGCONT)
                try #require(noticed)
                let cleared = try await expectEventually(timeout: .seconds(30)) {
                    await harness.entry(keys[0]) == nil
                }
                try #require(cleared)
            }
        }
    }
}

/// The manager alone loses the master while the replicas keep replicating: never DeadMaster.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct PartitionTests {
    /// With the reconnect test on (`ReplicaReconnectTestMilliseconds`), the replicas are asked
    /// to reconnect, get straight back in, and the verdict is the same.
    @Test(arguments: [0, 500] as [Int64])
    func managerCutOffFromTheMasterSeesUnreachableMasterNeverDeadMaster(reconnectTestMilliseconds: Int64) async throws {
        let firewall = LoopbackFirewall()
        defer { firewall.remove() }
        try await withSandbox(topology: "1>0,2>0") { sandbox in
            // Probes come from 127.0.0.2; the replicas connect from 127.0.0.1.
            try await withDetection(bindAddress: "127.0.0.2", configure: { $0.discovery.replicaReconnectTestMilliseconds = reconnectTestMilliseconds }) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                try firewall.drop(from: "127.0.0.2", toPort: keys[0].port)
                let unreachable = try await expectEventually(timeout: .seconds(30)) {
                    await harness.entry(keys[0])?.analysis == .unreachableMaster
                }
                try #require(unreachable)
                var seen = try await harness.codesSeen(for: keys[0], whileProbing: keys, probes: 5)
                #expect(seen == [.unreachableMaster])
                if reconnectTestMilliseconds > 0 {
                    let tested = try await expectEventually(timeout: .seconds(20)) { await ReconnectTestChaosTests.restarted([keys[1], keys[2]], harness) }
                    #expect(tested, "the replicas were asked to reconnect")
                    seen.formUnion(try await harness.codesSeen(for: keys[0], whileProbing: keys, probes: 3))
                    #expect(seen == [.unreachableMaster])
                }
                let replicas = await harness.discovery.registry.replicas(of: keys[0])
                #expect(replicas.count == 2 && replicas.allSatisfy { $0.isLastCheckValid && $0.isReplicationRunning })
                firewall.remove()
                let cleared = try await expectEventually(timeout: .seconds(30)) { await harness.entry(keys[0]) == nil }
                try #require(cleared)
                let rows = try await harness.store.failureDetections()
                #expect(!rows.contains { $0.analysis == "DeadMaster" })
                #expect(rows.contains { $0.analysis == "UnreachableMaster" && !$0.isActionable })
            }
        }
    }
}
