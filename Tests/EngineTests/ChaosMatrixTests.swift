import Engine
import Foundation
import OrchestratorTesting
import Sandbox
import Store
import Testing
import Topology

/// The faults a master can suffer that close no connection, and the ones that must not be taken
/// for a failure, on real servers with the replicas' `slave_net_timeout` at MariaDB's 60 s
/// default (heartbeat 1 s, as the sandbox sets it). Kill -9, a manager cut off from the master,
/// a manager killed mid-recovery, a hanging hook and a KV store down have their own suites.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct ChaosMatrixTests {
    static func isReadOnly(_ sandbox: Sandbox, _ index: Int) async -> Bool {
        guard let connection = try? await sandbox.connect(index, options: .init(connectTimeoutSeconds: 2, readTimeoutSeconds: 2, writeTimeoutSeconds: 2)) else {
            return false
        }
        let readOnly = try? await connection.query("SELECT @@global.read_only AS ro").first?.int("ro")
        await connection.close()
        return readOnly == 1
    }

    /// Whether the audit log and the recovery's steps say the old master was fenced.
    static func fenceRecorded(of key: InstanceKey, successor: InstanceKey, recovery: TopologyRecovery, _ harness: DetectionHarness) async throws -> Bool {
        try await expectEventually(timeout: .seconds(10)) {
            let audit = (try? await harness.store.auditEntries(page: 0, pageSize: 100, instance: key)) ?? []
            let steps = (try? await harness.store.recoverySteps(uid: recovery.uid).map(\.message)) ?? []
            return audit.contains { $0.type == "fence-deposed-master" && $0.message.contains("replaced by \(successor)") }
                && steps.contains { $0.contains("came back writable: made read-only") }
        }
    }

    /// The replicas' receipts are known before the fault: what proves the master silent later.
    static func requireReceipts(of replicas: [InstanceKey], _ harness: DetectionHarness) async throws {
        let known = try await expectEventually(timeout: .seconds(30)) {
            for key in replicas {
                let period = await harness.discovery.registry.instance(key)?.receipt?.heartbeatPeriod ?? 0
                if period <= 0 { return false }
            }
            return true
        }
        try #require(known, "every replica's heartbeat count and period were read")
    }

    /// A master that stops answering without closing anything (`silence`), under semi-sync writes:
    /// it is DeadMaster by its replicas' silence and replaced, no acknowledged write is lost, and
    /// once let go (`release`) it is made read-only, its client sessions ended, and that is reported.
    static func silentMasterIsReplacedThenFenced(silence: (Sandbox) throws -> Void, release: (Sandbox) throws -> Void) async throws {
        try await withSandbox(topology: "1>0,2>0") { sandbox in
            try await withDetection(recovery: RecoveryConfiguration()) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                try await sandbox.enableSemiSync(master: 0, replicas: [1, 2])
                let writer = try await SandboxWriter.start(on: sandbox, index: 0)
                #expect(await writer.waitUntilAcknowledged(20), "the writer was writing")
                try await requireReceipts(of: [keys[1], keys[2]], harness)
                try silence(sandbox)
                var released = false
                do {
                    let recovery = try #require(try await RecoveryTests.finishedRecovery(of: keys[0], harness, timeout: .seconds(40)))
                    #expect(recovery.analysis == AnalysisCode.deadMaster.rawValue)
                    #expect(recovery.isSuccessful, "\(recovery.allErrors)")
                    let successor = try #require(recovery.successor)
                    let successorIndex = try #require(keys.firstIndex(of: successor))
                    try release(sandbox)
                    released = true
                    let fenced = try await expectEventually(timeout: .seconds(30)) { await isReadOnly(sandbox, 0) }
                    #expect(fenced, "the old master was made read-only once it answered again")
                    await writer.finished()
                    let held = try await rows(on: sandbox, index: successorIndex)
                    let lost = Set(writer.acknowledgedRows).subtracting(held)
                    #expect(lost.isEmpty, "acknowledged rows missing on the new master: \(lost.sorted().prefix(10))")
                    // Recorded once the fence is in (a moment after read_only=1 shows).
                    #expect(try await Self.fenceRecorded(of: keys[0], successor: successor, recovery: recovery, harness))
                } catch {
                    if !released { try? release(sandbox) }
                    throw error
                }
            }
        }
    }

    @Test func aFrozenMasterIsReplacedAndFencedWhenItThaws() async throws {
        try await Self.silentMasterIsReplacedThenFenced(
            silence: { try $0.kill(0, signal: SIGSTOP) }, release: { try $0.kill(0, signal: SIGCONT) }
        )
    }

    @Test func aMasterWhosePacketsAreAllDroppedIsReplacedAndFencedWhenTheyFlow() async throws {
        let firewall = LoopbackFirewall()
        defer { firewall.remove() }
        try await Self.silentMasterIsReplacedThenFenced(
            silence: { try firewall.isolate(port: $0.instances[0].port) }, release: { _ in firewall.remove() }
        )
    }

    /// Quiet, under a global read lock, in a long transaction, paused for 100 ms now and then:
    /// alive, so never recovered. Each episode lasts a few probes of every server (a window
    /// measured in probes, so a slow machine widens it instead of skipping it). The same with
    /// the reconnect test on (`ReplicaReconnectTestMilliseconds` 200, as in `bench/chaos`).
    @Test(arguments: [0, 200] as [Int64])
    func aQuietLockedBusyOrBrieflyPausedMasterIsNeverRecovered(reconnectTestMilliseconds: Int64) async throws {
        try await withSandbox(topology: "1>0,2>0") { sandbox in
            try await withDetection(recovery: RecoveryConfiguration(), configure: {
                $0.discovery.replicaReconnectTestMilliseconds = reconnectTestMilliseconds
            }) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                try await Self.requireReceipts(of: [keys[1], keys[2]], harness)
                var seen = try await harness.codesSeen(for: keys[0], whileProbing: keys, probes: 4)

                let session = try await sandbox.connect(0)
                _ = try await session.execute("FLUSH TABLES WITH READ LOCK")
                seen.formUnion(try await harness.codesSeen(for: keys[0], whileProbing: keys, probes: 4))
                _ = try await session.execute("UNLOCK TABLES")

                _ = try await session.execute("CREATE DATABASE IF NOT EXISTS orc_test")
                _ = try await session.execute("CREATE TABLE IF NOT EXISTS orc_test.long_tx (id INT PRIMARY KEY)")
                _ = try await session.execute("BEGIN")
                _ = try await session.execute("INSERT INTO orc_test.long_tx VALUES (1)")
                seen.formUnion(try await harness.codesSeen(for: keys[0], whileProbing: keys, probes: 4))
                _ = try await session.execute("COMMIT")
                await session.close()

                for _ in 0..<3 {
                    try sandbox.kill(0, signal: SIGSTOP)
                    await pauseIgnoringCancellation(.milliseconds(100))
                    try sandbox.kill(0, signal: SIGCONT)
                    seen.formUnion(try await harness.codesSeen(for: keys[0], whileProbing: keys, probes: 2))
                }

                let dead: Set<AnalysisCode> = [.deadMaster, .deadMasterAndReplicas, .deadMasterAndSomeReplicas]
                #expect(seen.isDisjoint(with: dead), "seen: \(seen)")
                #expect(try await harness.store.recoveries(RecoveryQuery()).isEmpty, "nothing was recovered")
                let detections = try await harness.store.failureDetections(pageSize: 100)
                #expect(!detections.contains { dead.map(\.rawValue).contains($0.analysis) }, "\(detections.map(\.analysis))")
                for index in [1, 2] {
                    let state = try await sandbox.replication(index)
                    #expect(state.masterPort == keys[0].port && state.running, "instance \(index) still replicates from the master")
                }
            }
        }
    }

    @Test func aFrozenIntermediateMastersReplicasAreMovedAway() async throws {
        // Two replicas below it: with one, orchestrator's code is one it does not recover.
        try await withSandbox(topology: "1>0,2>1,3>1") { sandbox in
            try await withDetection(recovery: RecoveryConfiguration()) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                try await Self.requireReceipts(of: [keys[2], keys[3]], harness)
                try sandbox.kill(1, signal: SIGSTOP)
                defer { try? sandbox.kill(1, signal: SIGCONT) }
                let recovery = try #require(try await RecoveryTests.finishedRecovery(of: keys[1], harness, timeout: .seconds(40)))
                #expect(recovery.analysis == AnalysisCode.deadIntermediateMaster.rawValue)
                #expect(recovery.isSuccessful, "\(recovery.allErrors)")
                for index in [2, 3] {
                    let moved = try await expectEventually(timeout: .seconds(30)) {
                        guard let state = try? await sandbox.replication(index) else { return false }
                        return state.masterPort != keys[1].port && state.running
                    }
                    let detail = await RecoveryTests.replicationDetail(sandbox, index)
                    #expect(moved, "instance \(index) replicates from a live server again: \(detail)")
                }
            }
        }
    }

    @Test func anOldMasterRestartedWritableAfterAFailoverIsMadeReadOnlyAtOnce() async throws {
        try await withSandbox(topology: "1>0,2>0") { sandbox in
            try await withDetection(recovery: RecoveryConfiguration()) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                try sandbox.kill(0)
                let recovery = try #require(try await RecoveryTests.finishedRecovery(of: keys[0], harness))
                #expect(recovery.isSuccessful, "\(recovery.allErrors)")
                let successor = try #require(recovery.successor)
                try await sandbox.start(0)
                let fenced = try await expectEventually(timeout: .seconds(30)) { await Self.isReadOnly(sandbox, 0) }
                #expect(fenced, "the restarted old master was made read-only")
                #expect(try await Self.fenceRecorded(of: keys[0], successor: successor, recovery: recovery, harness))

                // Once the recovery is acknowledged the old master is the operator's again.
                try await harness.store.acknowledgeRecoveries(.id(recovery.id), by: "test", comment: "checked", at: Date())
                let connection = try await sandbox.connect(0)
                _ = try await connection.execute("SET GLOBAL read_only = 0")
                await connection.close()
                _ = try await harness.codesSeen(for: keys[0], whileProbing: [keys[0]], probes: 4)
                #expect(await !Self.isReadOnly(sandbox, 0), "not fenced again after the acknowledgement")
            }
        }
    }

    /// MariaDB resets the heartbeat period on a `CHANGE MASTER` to a new host; a replica rewired by
    /// a recovery keeps the period it had, or the next hung master would take 45 s to find.
    @Test func rewiredReplicasKeepTheirHeartbeatPeriod() async throws {
        try await withSandbox(topology: "1>0,2>0,3>0", options: SandboxOptions(heartbeatPeriod: 0.25)) { sandbox in
            try await withDetection(recovery: RecoveryConfiguration()) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                try sandbox.kill(0)
                let recovery = try #require(try await RecoveryTests.finishedRecovery(of: keys[0], harness))
                let successor = try #require(recovery.successor)
                for index in [1, 2, 3] where keys[index] != successor {
                    let connection = try await sandbox.connect(index)
                    let row = try await connection.query("SHOW SLAVE STATUS").first
                    let period = try await connection.query("SHOW GLOBAL STATUS LIKE 'Slave_heartbeat_period'").first?.string("Value")
                    await connection.close()
                    #expect(row?.int("Master_Port") == Int64(successor.port), "instance \(index) was rewired")
                    #expect(period.flatMap(Double.init) == 0.25, "instance \(index): heartbeat period \(period ?? "?")")
                }
            }
        }
    }

    static var rejoining: RecoveryConfiguration {
        var configuration = RecoveryConfiguration()
        configuration.rejoinFailedMasterAsReplica = true
        configuration.replicationCredentialsQuery =
            "SELECT '\(Sandbox.replicationCredentials.user)', '\(Sandbox.replicationCredentials.password.revealed)'"
        return configuration
    }

    @Test func withRejoinAnOldMasterThatLacksNothingReplicatesFromItsSuccessor() async throws {
        try await withSandbox(topology: "1>0,2>0") { sandbox in
            try await withDetection(recovery: Self.rejoining) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                try sandbox.kill(0)
                let recovery = try #require(try await RecoveryTests.finishedRecovery(of: keys[0], harness))
                let successor = try #require(recovery.successor)
                try await sandbox.start(0)
                let rejoined = try await expectEventually(timeout: .seconds(30)) {
                    guard let state = try? await sandbox.replication(0) else { return false }
                    return state.masterPort == successor.port && state.running
                }
                let detail = await RecoveryTests.replicationDetail(sandbox, 0)
                #expect(rejoined, "the old master replicates from \(successor): \(detail)")
                #expect(await Self.isReadOnly(sandbox, 0))
                let steps = try await harness.store.recoverySteps(uid: recovery.uid).map(\.message)
                #expect(steps.contains { $0.contains("rejoined as a replica of \(successor)") }, "\(steps)")
            }
        }
    }

    @Test func withRejoinAnOldMasterHoldingWhatItsSuccessorLacksStaysFencedAndSaysWhat() async throws {
        try await withSandbox(topology: "1>0,2>0") { sandbox in
            try await withDetection(recovery: Self.rejoining) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                // A write the replicas never receive, then the crash.
                for index in [1, 2] {
                    let replica = try await sandbox.connect(index)
                    _ = try await replica.execute("STOP SLAVE IO_THREAD")
                    await replica.close()
                }
                let master = try await sandbox.connect(0)
                _ = try await master.execute("CREATE DATABASE IF NOT EXISTS orc_errant")
                await master.close()
                try sandbox.kill(0)
                let recovery = try #require(try await RecoveryTests.finishedRecovery(of: keys[0], harness))
                #expect(recovery.isSuccessful, "\(recovery.allErrors)")
                try await sandbox.start(0)
                let reported = try await expectEventually(timeout: .seconds(30)) {
                    let steps = (try? await harness.store.recoverySteps(uid: recovery.uid).map(\.message)) ?? []
                    return steps.contains { $0.contains("stays read-only and is not rejoined: it has transactions its successor") }
                }
                let steps = try await harness.store.recoverySteps(uid: recovery.uid).map(\.message)
                #expect(reported, "\(steps)")
                #expect(await Self.isReadOnly(sandbox, 0))
                #expect(try await sandbox.replication(0).masterPort == 0, "not rejoined")
            }
        }
    }
}

/// The store's disk filling up: a recovery that cannot be recorded is not run, and runs once
/// space returns. The store lives on a 2 MiB tmpfs the test mounts and fills.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct StoreDiskFullTests {
    @Test func aRecoveryThatCannotBeRecordedIsNotRunUntilSpaceReturns() async throws {
        let disk = try TinyFileSystem.mount()
        defer { disk.unmount() }
        let store = try SQLiteStore(path: disk.path + "/orchestrator.sqlite3")

        try await withSandbox(topology: "1>0,2>0") { sandbox in
            try await withDetection(recovery: RecoveryConfiguration(), store: store) { harness in
                let keys = try await DetectionTests.discovered(sandbox, harness)
                try disk.fill()
                try sandbox.kill(0)
                // The failure is seen (analysis needs no store) …
                let seen = try await expectEventually(timeout: .seconds(30)) { await harness.entry(keys[0])?.analysis == .deadMaster }
                try #require(seen, "DeadMaster is analysed with the disk full")
                // … for several more probes of every replica, while nothing may be recorded or changed.
                _ = try await harness.codesSeen(for: keys[0], whileProbing: [keys[1], keys[2]], probes: 3)
                for index in [1, 2] {
                    // Read as it is: the IO thread keeps retrying the dead master.
                    let connection = try await sandbox.connect(index)
                    let masterPort = try await connection.query("SHOW SLAVE STATUS").first?.int("Master_Port")
                    await connection.close()
                    #expect(masterPort == Int64(keys[0].port), "instance \(index) was not touched by an unrecorded recovery")
                    #expect(await ChaosMatrixTests.isReadOnly(sandbox, index), "instance \(index) was not promoted")
                }

                try disk.free()
                let recovery = try #require(try await RecoveryTests.finishedRecovery(of: keys[0], harness, timeout: .seconds(40)))
                #expect(recovery.isSuccessful, "\(recovery.allErrors)")
                let steps = try await harness.store.recoverySteps(uid: recovery.uid)
                #expect(!steps.isEmpty, "every step of the recovery is recorded")
            }
        }
    }
}
