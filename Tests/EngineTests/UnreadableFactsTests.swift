import Engine
import Foundation
import GRDB
import OrchestratorTesting
import Sandbox
import Store
import Testing
import Topology

/// On a path that decides or changes servers, a fact that cannot be read stops the action with
/// the reason recorded: here the promotion rules, without which a `must_not` replica could be
/// promoted.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct UnreadableFactsTests {
    @Test func unreadablePromotionRulesStopAMasterRecoveryBeforeAnyServerIsTouched() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("orchestrator-rules-\(UUID().uuidString).sqlite3").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteStore(path: path)
        try await withSandbox(topology: "1>0,2>0") { sandbox in
            try await withDetection(recovery: RecoveryConfiguration(), store: store) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                // The candidates table goes away behind the store's back: reading rules fails.
                let queue = try DatabaseQueue(path: path)
                try await queue.write { db in try db.execute(sql: "DROP TABLE candidate_database_instance") }
                try await queue.close()
                let recoveryService = try #require(harness.recovery)
                let masterEntry = await harness.analysis.currentAnalysis(hints: AnalysisHints(includeDowntimed: true, includeNoProblem: true))
                    .first { $0.analyzedInstanceKey == keys[0] }
                let preview = await recoveryService.previewMasterRecovery(try #require(masterEntry))
                #expect(preview.blockers.contains { $0.hasPrefix("cannot read the promotion rules") }, "\(preview.blockers)")

                try sandbox.kill(0)
                let recovery = try #require(try await RecoveryTests.finishedRecovery(of: keys[0], harness))
                #expect(!recovery.isSuccessful && recovery.successor == nil)
                #expect(recovery.allErrors.contains { $0.hasPrefix("cannot read the promotion rules, so no replica is promoted") }, "\(recovery.allErrors)")
                // Nothing was done to the replicas: still pointed at the dead master, read-only.
                for index in [1, 2] {
                    let connection = try await sandbox.connect(index)
                    let masterPort = try await connection.query("SHOW SLAVE STATUS").first?.int("Master_Port")
                    let readOnly = try await connection.query("SELECT @@global.read_only AS ro").first?.int("ro")
                    await connection.close()
                    #expect(masterPort == Int64(keys[0].port), "instance \(index) still replicates from the dead master")
                    #expect(readOnly == 1, "instance \(index) stays read-only")
                }
            }
        }
    }
}
