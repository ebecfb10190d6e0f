import Engine
import Foundation
import OrchestratorTesting
import Sandbox
import Store
import Testing
import Topology

/// Topology refactoring on real servers: moves answer with the new tree already known, refused
/// moves touch nothing, coordinate moves lose and duplicate nothing under writes.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct RefactoringTests {
    /// Where instance `index` replicates from and whether both threads run (waits out the IO thread starting).
    static func replication(_ sandbox: Sandbox, _ index: Int) async throws -> (masterPort: Int, running: Bool) {
        try await RecoveryTests.replication(sandbox, index)
    }

    /// A row written on the master now reaches every one of `indexes`.
    static func expectReplicated(_ sandbox: Sandbox, master: Int, to indexes: [Int], id: Int) async throws {
        let connection = try await sandbox.connect(master)
        _ = try await connection.execute("CREATE DATABASE IF NOT EXISTS orc_test")
        _ = try await connection.execute("CREATE TABLE IF NOT EXISTS orc_test.t (id INT PRIMARY KEY)")
        _ = try await connection.execute("INSERT INTO orc_test.t (id) VALUES (\(id))")
        await connection.close()
        for index in indexes {
            let arrived = try await expectEventually {
                ((try? await rows(on: sandbox, index: index)) ?? []).contains(id)
            }
            #expect(arrived, "row \(id) reached instance \(index)")
        }
    }

    static func outcome(_ body: () async throws(RefactoringError) -> Instance) async -> Result<Instance, RefactoringError> {
        do throws(RefactoringError) { return .success(try await body()) } catch { return .failure(error) }
    }

    @Test func relocateReplicasOfAnIntermediateMasterBelowItsSibling() async throws {
        try await withSandbox(topology: "1>0,2>0,3>2,4>2") { sandbox in
            try await withDetection { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                let refactorer = harness.engine.refactorer
                let result = try await refactorer.relocateReplicas(of: keys[2], below: keys[1], pattern: "")
                #expect(result.moved.map(\.key) == [keys[3], keys[4]])
                #expect(result.errors.isEmpty, "\(result.errors)")
                // The answer already reflects the new tree, and so does the registry.
                #expect(result.moved.allSatisfy { $0.masterKey == keys[1] })
                for index in [3, 4] {
                    #expect(await harness.discovery.registry.instance(keys[index])?.masterKey == keys[1])
                    let state = try await Self.replication(sandbox, index)
                    #expect(state.masterPort == keys[1].port && state.running, "instance \(index): \(state)")
                }
                #expect(await harness.discovery.registry.replicas(of: keys[2]).isEmpty)
                try await Self.expectReplicated(sandbox, master: 0, to: [1, 2, 3, 4], id: 1)
                let audit = try await harness.store.auditEntries(page: 0)
                #expect(audit.contains { $0.type == "relocate-replicas" && $0.instanceKey == keys[2] })
            }
        }
    }

    @Test func moveUpThenMoveBelowRestoresTheTree() async throws {
        try await withSandbox(topology: "1>0,2>0,3>2") { sandbox in
            try await withDetection { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                let refactorer = harness.engine.refactorer
                let up = try await refactorer.moveUp(keys[3])
                #expect(up.masterKey == keys[0])
                #expect(try await Self.replication(sandbox, 3) == (keys[0].port, true))
                try await requireDiscovered(keys, in: harness.discovery.registry)
                let back = try await refactorer.moveBelow(keys[3], sibling: keys[2])
                #expect(back.masterKey == keys[2])
                #expect(try await Self.replication(sandbox, 3) == (keys[2].port, true))
                try await Self.expectReplicated(sandbox, master: 0, to: [1, 2, 3], id: 2)
            }
        }
    }

    @Test func aServerBelowItsOwnReplicaIsRefusedAndNothingChanges() async throws {
        try await withSandbox(topology: "1>0,2>0,3>2") { sandbox in
            try await withDetection { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                let refactorer = harness.engine.refactorer
                do throws(RefactoringError) {
                    _ = try await refactorer.relocate(keys[2], below: keys[3])
                    Issue.record("a server was moved below its own replica")
                } catch {
                    guard case let .refused(refusal) = error else { Issue.record("not a refusal: \(error)"); return }
                    #expect(refusal.description.hasPrefix("cannot move \(keys[2]) below \(keys[3]): "))
                    #expect(refusal.reasons.contains("\(keys[3]) is a descendant of \(keys[2])"), "\(refusal.reasons)")
                }
                #expect(try await Self.replication(sandbox, 2) == (keys[0].port, true))
                #expect(try await Self.replication(sandbox, 3) == (keys[2].port, true))
                let audit = try await harness.store.auditEntries(page: 0)
                #expect(!audit.contains { $0.type == "stop-slave" }, "a refused move touched a server")
                #expect(audit.contains { $0.type == "relocate-below" && $0.message.hasPrefix("failed: cannot move") })
            }
        }
    }

    @Test func maintenanceBlocksAMoveAndSaysWhoHoldsIt() async throws {
        try await withSandbox(topology: "1>0,2>0") { sandbox in
            try await withDetection { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                let refactorer = harness.engine.refactorer
                _ = try await refactorer.beginMaintenance(keys[2], owner: "alice", reason: "kernel upgrade")
                do {
                    _ = try await refactorer.relocate(keys[2], below: keys[1])
                    Issue.record("moved an instance in maintenance")
                } catch {
                    #expect("\(error)".contains("\(keys[2]) is in maintenance by alice"), "\(error)")
                    #expect("\(error)".contains("kernel upgrade"), "\(error)")
                }
                #expect(try await Self.replication(sandbox, 2) == (keys[0].port, true))
                #expect(try await refactorer.endMaintenance(keys[2]))
                let moved = try await refactorer.relocate(keys[2], below: keys[1])
                #expect(moved.masterKey == keys[1])
            }
        }
    }

    @Test func concurrentOperationsOnOneInstanceNeverCorruptIt() async throws {
        try await withSandbox(topology: "1>0,2>0,3>0") { sandbox in
            try await withDetection { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                let refactorer = harness.engine.refactorer
                async let first = Self.outcome { () async throws(RefactoringError) in try await refactorer.relocate(keys[3], below: keys[1]) }
                async let second = Self.outcome { () async throws(RefactoringError) in try await refactorer.relocate(keys[3], below: keys[2]) }
                let outcomes = await [first, second]
                let succeeded = outcomes.compactMap { try? $0.get() }
                #expect(!succeeded.isEmpty, "\(outcomes)")
                for case let .failure(error) in outcomes {
                    switch error {
                    case .locked, .refused: break
                    default: Issue.record("unexpected failure: \(error)")
                    }
                }
                let state = try await Self.replication(sandbox, 3)
                #expect(state.running && [keys[1].port, keys[2].port].contains(state.masterPort), "\(state)")
                try await Self.expectReplicated(sandbox, master: 0, to: [1, 2, 3], id: 3)
            }
        }
    }

    @Test func takeMasterSwapsAnIntermediateMasterWithItsReplica() async throws {
        let hookFile = FileManager.default.temporaryDirectory.appendingPathComponent("take-master-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: hookFile) }
        try await withSandbox(topology: "1>0,2>1,3>1") { sandbox in
            try await withDetection(configure: {
                $0.refactoring.postTakeMasterProcesses = ["echo \"$1 $2 $ORC_SUCCESSOR_HOST $ORC_FAILED_HOST\" >> \(hookFile)"]
            }) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                let swapped = try await harness.engine.refactorer.takeMaster(keys[2])
                #expect(swapped.masterKey == keys[0])
                #expect(try await Self.replication(sandbox, 2) == (keys[0].port, true))
                #expect(try await Self.replication(sandbox, 1) == (keys[2].port, true))
                #expect(try await Self.replication(sandbox, 3) == (keys[1].port, true), "the other replica stays")
                let hooked = (try? String(contentsOfFile: hookFile, encoding: .utf8)) ?? ""
                #expect(hooked == "\(keys[2]) \(keys[1]) \(keys[2]) \(keys[1])\n", "PostTakeMasterProcesses: \(hooked)")
                try await Self.expectReplicated(sandbox, master: 0, to: [1, 2, 3], id: 4)
            }
        }
    }

    @Test func regroupPromotesTheMostAdvancedReplicaOfADeadMaster() async throws {
        try await withSandbox(topology: "1>0,2>0,3>0") { sandbox in
            try await withDetection { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                // Only instance 1 receives the last writes; then the master dies.
                for index in [2, 3] { _ = try await sandbox.connect(index).execute("STOP SLAVE") }
                try await Self.expectReplicated(sandbox, master: 0, to: [1], id: 5)
                try sandbox.kill(0)
                for index in [2, 3] { _ = try await sandbox.connect(index).execute("START SLAVE SQL_THREAD") }
                let result = try await harness.engine.refactorer.regroupReplicas(of: keys[0])
                #expect(result.promoted.key == keys[1])
                #expect(Set(result.moved) == [keys[2], keys[3]], "\(result)")
                for index in [2, 3] {
                    #expect(try await Self.replication(sandbox, index) == (keys[1].port, true))
                    let caughtUp = try await expectEventually { ((try? await rows(on: sandbox, index: index)) ?? []).contains(5) }
                    #expect(caughtUp, "instance \(index) got the promoted replica's rows")
                }
            }
        }
    }

    @Test func makeCoMasterClosesATwoNodeRing() async throws {
        try await withSandbox(topology: "1>0,2>0") { sandbox in
            try await withDetection { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                _ = try await harness.engine.refactorer.makeCoMaster(keys[1])
                #expect(try await Self.replication(sandbox, 0) == (keys[1].port, true))
                #expect(try await Self.replication(sandbox, 1) == (keys[0].port, true))
                try await Self.expectReplicated(sandbox, master: 0, to: [1, 2], id: 6)
                let master = try #require(await harness.discovery.registry.instance(keys[0]))
                #expect(master.masterKey == keys[1])
            }
        }
    }

    @Test func aServerWithoutBinaryLogIsRefusedAsAMaster() async throws {
        try await withSandbox(topology: "1>0,2>0", options: SandboxOptions(withoutBinaryLog: [2])) { sandbox in
            try await withDetection { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                do throws(RefactoringError) {
                    _ = try await harness.engine.refactorer.relocate(keys[1], below: keys[2])
                    Issue.record("moved below a server without binary log")
                } catch {
                    guard case let .refused(refusal) = error else { Issue.record("not a refusal: \(error)"); return }
                    #expect(refusal.reasons.contains("\(keys[2]) has no binary log"), "\(refusal.reasons)")
                }
                #expect(try await Self.replication(sandbox, 1) == (keys[0].port, true))
            }
        }
    }

    @Test func skipQueryStepsOverTheEventAReplicaStoppedOn() async throws {
        try await withSandbox(topology: "1>0") { sandbox in
            try await withDetection { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                try await Self.expectReplicated(sandbox, master: 0, to: [1], id: 41)
                // The replica gets a row the master then writes too: its SQL thread stops on a duplicate key.
                _ = try await sandbox.connect(1).execute("INSERT INTO orc_test.t (id) VALUES (42)")
                _ = try await sandbox.connect(0).execute("INSERT INTO orc_test.t (id) VALUES (42)")
                let broken = try await expectEventually {
                    let instance = await harness.discovery.refresh(keys[1])
                    return instance.map { !$0.sqlThreadState.isRunning && !$0.lastSQLError.isEmpty } ?? false
                }
                try #require(broken, "the replica stopped on the duplicate")
                let skipped = try await harness.engine.refactorer.control(.skipQuery, keys[1])
                #expect(skipped.sqlThreadState.isRunning && skipped.ioThreadState.isRunning)
                try await Self.expectReplicated(sandbox, master: 0, to: [1], id: 43)
            }
        }
    }

    @Test func purgingLogsAReplicaStillNeedsIsRefusedNamingIt() async throws {
        try await withSandbox(topology: "1>0") { sandbox in
            try await withDetection { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                _ = try await sandbox.connect(1).execute("STOP SLAVE")
                for _ in 0..<2 { _ = try await sandbox.connect(0).execute("FLUSH BINARY LOGS") }
                _ = await harness.discovery.refresh(keys[1])
                let refactorer = harness.engine.refactorer
                do throws(RefactoringError) {
                    _ = try await refactorer.purgeBinaryLogs(keys[0], to: "latest", force: false)
                    Issue.record("purged logs a replica still needs")
                } catch {
                    #expect("\(error)".contains("\(keys[1]) still needs mysql-bin.000001"), "\(error)")
                }
                let logs = try await sandbox.connect(0).query("SHOW BINARY LOGS").map { $0.string("Log_name") }
                #expect(logs.first == "mysql-bin.000001", "nothing was purged: \(logs)")
                // MariaDB keeps every log from its last binlog checkpoint on; wait until InnoDB has
                // checkpointed into the newest log, so that the purge can take the older ones.
                let checkpointed = try await expectEventually {
                    let events = (try? await sandbox.connect(0).query("SHOW BINLOG EVENTS IN 'mysql-bin.000003'")) ?? []
                    return events.contains { $0.string("Event_type") == "Binlog_checkpoint" && $0.string("Info").contains("mysql-bin.000003") }
                }
                try #require(checkpointed, "the master checkpointed into its newest log")
                let forced = try await refactorer.purgeBinaryLogs(keys[0], to: "latest", force: true)
                #expect(forced.key == keys[0])
                let left = try await sandbox.connect(0).query("SHOW BINARY LOGS").map { $0.string("Log_name") }
                #expect(left == ["mysql-bin.000003"], "\(left)")
            }
        }
    }

    /// Without GTID: a replica moves below its sibling and back up by binary log coordinates
    /// while the master takes writes; every acknowledged row arrives once.
    @Test func coordinateMovesBetweenSiblingsUnderWritesLoseAndDuplicateNothing() async throws {
        try await withSandbox(topology: "1>0,2>0", options: SandboxOptions(usesGTID: false)) { sandbox in
            try await withDetection { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                #expect(await harness.discovery.registry.instance(keys[2])?.usingMariaDBGTID == false)
                let writer = try await SandboxWriter.start(on: sandbox, index: 0)
                try #require(await writer.waitUntilAcknowledged(20), "the writer was writing")
                let below = try await harness.engine.refactorer.moveBelow(keys[2], sibling: keys[1])
                #expect(below.masterKey == keys[1])
                try await requireDiscovered(keys, in: harness.discovery.registry)
                let up = try await harness.engine.refactorer.moveUp(keys[2])
                #expect(up.masterKey == keys[0])
                writer.stop()
                await writer.finished()
                let acknowledged = Set(writer.acknowledgedRows)
                #expect(acknowledged.count > 20)
                for index in [1, 2] {
                    let complete = try await expectEventually {
                        acknowledged.isSubset(of: (try? await rows(on: sandbox, index: index)) ?? [])
                    }
                    #expect(complete, "instance \(index) holds every acknowledged row")
                    // A duplicate would have stopped the SQL thread on a duplicate key.
                    #expect(try await Self.replication(sandbox, index).running, "instance \(index) replicates without error")
                }
            }
        }
    }
}

/// Errant transactions found by real probes of MariaDB servers.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct ErrantGTIDProbeTests {
    @Test func aWriteOnAReplicaShowsAsErrantAndInTheAnalysis() async throws {
        try await withSandbox(topology: "1>0,2>0") { sandbox in
            try await withDetection { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                #expect(await harness.discovery.registry.instance(keys[1])?.gtidErrant == "")
                // The topology user may write despite read_only, as a careless operator would.
                let replica = try await sandbox.connect(1)
                _ = try await replica.execute("CREATE DATABASE IF NOT EXISTS errant_write")
                await replica.close()
                let errant = try await expectEventually {
                    await harness.discovery.registry.instance(keys[1])?.gtidErrant.hasPrefix("0-\(keys[1].port)-") == true
                }
                try #require(errant, "instance 1 shows its own write as errant")
                #expect(await harness.discovery.registry.instance(keys[2])?.gtidErrant == "")
                let warned = try await expectEventually {
                    await harness.entry(keys[0])?.structureAnalysis.contains(.errantGTIDStructureWarning) == true
                }
                #expect(warned, "the master's analysis carries ErrantGTIDStructureWarning")

                // Where they are, what MariaDB cannot do, and removing them.
                let refactorer = harness.engine.refactorer
                let logs = try await refactorer.locateErrantGTID(keys[1])
                #expect(logs.count == 1 && logs[0].hasPrefix("mysql-bin."), "\(logs)")
                do {
                    _ = try await refactorer.injectEmptyErrantTransactions(keys[1])
                    Issue.record("injected empty transactions on MariaDB")
                } catch {
                    #expect("\(error)".contains("use gtid-errant-reset-master on \(keys[1])"), "\(error)")
                }
                let reset = try await refactorer.resetErrantGTIDs(keys[1])
                #expect(reset.gtidErrant == "", "\(reset.gtidErrant)")
                #expect(try await RefactoringTests.replication(sandbox, 1) == (keys[0].port, true))
                try await RefactoringTests.expectReplicated(sandbox, master: 0, to: [1, 2], id: 7)
                #expect(await harness.discovery.registry.instance(keys[1])?.gtidErrant == "")
            }
        }
    }
}

/// A co-master made by make-co-master, then the writable one dies.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct CoMasterFailoverTests {
    @Test func theSurvivingCoMasterTakesOverWhenTheWritableOneDies() async throws {
        try await withSandbox(topology: "1>0,2>0") { sandbox in
            try await withDetection(recovery: RecoveryConfiguration()) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                _ = try await harness.engine.refactorer.makeCoMaster(keys[1])
                try await requireDiscovered(keys, in: harness.discovery.registry)
                // Semi-sync to the partner: an acknowledged write is in its relay log. Without it a
                // crash may lose the last acknowledged writes, as asynchronous replication does.
                try await sandbox.enableSemiSync(master: 0, replicas: [1])
                let writer = try await SandboxWriter.start(on: sandbox, index: 0)
                try #require(await writer.waitUntilAcknowledged(20), "the writer was writing")
                try sandbox.kill(0)
                await writer.finished()
                let recovery = try #require(try await RecoveryTests.finishedRecovery(of: keys[0], harness))
                #expect(recovery.isSuccessful, "\(recovery.allErrors)")
                #expect(["DeadCoMaster", "DeadCoMasterAndSomeReplicas"].contains(recovery.analysis), "\(recovery.analysis)")
                let successor = try #require(recovery.successor)
                #expect(successor == keys[1], "the other co-master is promoted: \(recovery.planSummary)")
                let promoted = try await sandbox.connect(1)
                #expect(try await promoted.query("SELECT @@global.read_only AS ro").first?.int("ro") == 0)
                #expect(try await promoted.query("SHOW SLAVE STATUS").isEmpty, "it no longer replicates from the dead co-master")
                await promoted.close()
                #expect(try await RefactoringTests.replication(sandbox, 2) == (keys[1].port, true))
                let held = try await rows(on: sandbox, index: 1)
                #expect(Set(writer.acknowledgedRows).isSubset(of: held))
            }
        }
    }
}
