import Engine
import Foundation
import Prometheus
import OrchestratorTesting
import Sandbox
import Store
import Testing
import Topology

/// Automated recovery against real servers, with writes running.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct RecoveryTests {
    /// The finished recovery of `key`, once there is one.
    static func finishedRecovery(of key: InstanceKey, _ harness: DetectionHarness, timeout: Duration = .seconds(20)) async throws -> TopologyRecovery? {
        var found: TopologyRecovery?
        _ = try await expectEventually(timeout: timeout) {
            var query = RecoveryQuery()
            query.failedInstance = key
            found = (try? await harness.store.recoveries(query))?.first { $0.endRecovery != nil }
            return found != nil
        }
        return found
    }

    /// `SHOW SLAVE STATUS` of instance `index` in a few words, for failure messages.
    static func replicationDetail(_ sandbox: Sandbox, _ index: Int) async -> String {
        guard let connection = try? await sandbox.connect(index) else { return "cannot connect" }
        defer { Task { await connection.close() } }
        guard let row = try? await connection.query("SHOW SLAVE STATUS").first else { return "not a replica" }
        return ["Master_Port", "Slave_IO_Running", "Slave_SQL_Running", "Last_IO_Error", "Last_SQL_Error", "Using_Gtid", "Gtid_IO_Pos"]
            .map { "\($0)=\(row.string($0))" }.joined(separator: " ")
    }

    /// Where instance `index` replicates from, and whether both threads run.
    static func replication(_ sandbox: Sandbox, _ index: Int) async throws -> (masterPort: Int, running: Bool) {
        try await sandbox.replication(index)
    }

    @Test func killedMasterUnderSemiSyncWritesIsReplacedAndNothingAcknowledgedIsLost() async throws {
        try await withSandbox(topology: "1>0,2>0,3>0") { sandbox in
            let metrics = PrometheusCollectorRegistry()
            try await withDetection(recovery: RecoveryConfiguration(), metricsFactory: PrometheusMetricsFactory(registry: metrics)) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                try await sandbox.enableSemiSync(master: 0, replicas: [1, 2, 3])
                let registry = harness.discovery.registry
                try await harness.store.setClusterAlias("shop", forCluster: keys[0].description)
                await registry.setAliasOverride("shop", forCluster: keys[0].description)
                let writer = try await SandboxWriter.start(on: sandbox, index: 0)
                #expect(await writer.waitUntilAcknowledged(20), "the writer was writing")
                try sandbox.kill(0)
                await writer.finished()
                let acknowledged = writer.acknowledgedRows
                #expect(acknowledged.count > 10, "the writer was writing")

                let recovery = try #require(try await Self.finishedRecovery(of: keys[0], harness))
                #expect(recovery.isSuccessful, "\(recovery.allErrors)")
                let successor = try #require(recovery.successor)
                let promoted = try #require(keys.firstIndex(of: successor))
                #expect(promoted != 0)
                #expect(recovery.lostTransactions == "")
                #expect(recovery.lostReplicas.isEmpty)
                #expect(recovery.type == "MasterRecovery" && recovery.analysis == "DeadMaster")
                // The alias names the new master's cluster; the failed master's no longer claims it.
                #expect(await registry.cluster(byAlias: "shop") == successor.description)
                #expect(await registry.alias(ofCluster: keys[0].description) == keys[0].description)
                #expect(try await harness.store.clusterAliases() == [successor.description: "shop"])
                // The failed master stays out of automatic recoveries until it is back.
                let downtime = try #require(await harness.discovery.registry.instance(keys[0])?.downtime)
                #expect(downtime.reason == "lost-in-recovery" && downtime.owner == "orchestrator" && downtime.endsAt == nil)
                #expect(try await harness.store.downtimes().map(\.key) == [keys[0]])

                // Writable, not replicating, and holding every acknowledged row.
                let newMaster = try await sandbox.connect(promoted)
                let readOnly = try await newMaster.query("SELECT @@global.read_only AS ro").first?.int("ro")
                #expect(readOnly == 0)
                #expect(try await newMaster.query("SHOW SLAVE STATUS").isEmpty)
                let held = try await rows(on: sandbox, index: promoted)
                #expect(Set(acknowledged).isSubset(of: held), "missing: \(Set(acknowledged).subtracting(held).sorted())")

                // The others replicate from it: a new row reaches them.
                _ = try await newMaster.execute("INSERT INTO orc_test.t (id) VALUES (1000000)")
                await newMaster.close()
                for index in [1, 2, 3] where index != promoted {
                    let state = try await Self.replication(sandbox, index)
                    #expect(state.masterPort == successor.port && state.running, "instance \(index): \(state)")
                    let replicated = try await expectEventually(timeout: .seconds(30)) {
                        ((try? await rows(on: sandbox, index: index)) ?? []).contains(1_000_000)
                    }
                    try #require(replicated, "instance \(index) replicates from the new master")
                }
                let steps = try await harness.store.recoverySteps(uid: recovery.uid).map(\.message)
                let promoteStep = steps.firstIndex { $0.contains("promote \(successor)") }
                let rewireStep = steps.firstIndex { $0.contains("point ") && $0.contains("at \(successor)") }
                #expect((promoteStep ?? .max) < (rewireStep ?? -1), "writable before rewiring: \(steps)")

                // The metrics tell the same story: detected, recovered, and how fast it was writable.
                let counted = try await expectEventually(timeout: .seconds(10)) {
                    PrometheusText.value(in: metrics.emitToString(), "orchestrator_recovery_recoveries_total", ["type": "master", "result": "success"]) == 1
                }
                let text = metrics.emitToString()
                #expect(counted, "\(text)")
                #expect((PrometheusText.value(in: text, "orchestrator_analysis_detections_total", ["analysis": "DeadMaster"]) ?? 0) >= 1, "\(text)")
                #expect(PrometheusText.value(in: text, "orchestrator_recovery_detection_to_writable_seconds_count") == 1, "\(text)")
                let seconds = try #require(PrometheusText.value(in: text, "orchestrator_recovery_detection_to_writable_seconds_sum"))
                #expect(seconds > 0 && seconds < 60, "\(text)")
            }
        }
    }
}
