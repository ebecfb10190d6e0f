import Engine
import Foundation
import Testing
import Topology

/// How the registry keeps a reconnect test and the replicas' receipts around an IO thread
/// restart: the test holds until a reading after the restart decides it, and no silence is ever
/// measured across a restart (the restarted thread counts its heartbeats from 0 again).
struct ReconnectTestRegistryTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let master = InstanceKey(hostname: "db", port: 3306)

    static func replica(io: ReplicationThreadState = .running, heartbeats: Int64 = 0) -> Instance {
        var replica = AnalysisTriggerTests.instance(3307, master: 3306)
        replica.ioThreadState = io
        replica.receipt = ReplicationReceipt(
            heartbeats: heartbeats, heartbeatPeriod: 1, masterKey: master, readCoordinates: replica.readBinlogCoordinates,
            unchangedSince: .distantPast, unchangedThrough: .distantPast
        )
        return replica
    }

    static func record(_ instance: Instance, _ registry: InstanceRegistry, startedAt: Double, finishedAt: Double) async -> Instance {
        await registry.recordSuccess(instance, at: t0 + finishedAt, startedAt: t0 + startedAt)
    }

    @Test func aTestHoldsUntilAReadingAfterTheWindowAndEndsWhenTheReplicaIsBackIn() async throws {
        let registry = InstanceRegistry()
        await registry.recordSuccess(AnalysisTriggerTests.instance(3306, master: nil), at: Self.t0)
        let key = Self.replica().key
        _ = await Self.record(Self.replica(), registry, startedAt: 0, finishedAt: 0.01)
        await registry.beginReconnectTest([key], master: Self.master, window: 0.2)
        // A probe begun before the restart returned read the old connection: the test holds.
        var read = await Self.record(Self.replica(), registry, startedAt: 0.02, finishedAt: 0.03)
        #expect(read.reconnectTest?.restartedAt == nil)
        await registry.reconnectTestRestarted(key, at: Self.t0 + 0.05)
        read = await Self.record(Self.replica(io: .other), registry, startedAt: 0.1, finishedAt: 0.11)
        #expect(ReconnectTest.isUndecided(read) && read.mayHearItsMaster, "reconnecting within the window counts as connected")
        read = await Self.record(Self.replica(io: .other), registry, startedAt: 0.3, finishedAt: 0.31)
        #expect(!ReconnectTest.isUndecided(read) && !read.mayHearItsMaster, "still reconnecting after the window: the master is lost to it")
        read = await Self.record(Self.replica(), registry, startedAt: 0.4, finishedAt: 0.41)
        #expect(read.reconnectTest == nil, "back in: the test is over")
        #expect(read.mayHearItsMaster)
    }

    @Test func aFailedRestartEndsTheTest() async {
        let registry = InstanceRegistry()
        let key = Self.replica().key
        _ = await Self.record(Self.replica(), registry, startedAt: 0, finishedAt: 0.01)
        await registry.beginReconnectTest([key], master: Self.master, window: 0.2)
        #expect(await registry.instance(key)?.reconnectTest != nil)
        await registry.endReconnectTest(key)
        #expect(await registry.instance(key)?.reconnectTest == nil)
    }

    @Test func noSilenceIsMeasuredAcrossARestart() async throws {
        // Heartbeats 0 before and after (a replica that had not received one yet): the same
        // receipt, but the restart in between means nothing was proved before it.
        let registry = InstanceRegistry()
        let key = Self.replica().key
        _ = await Self.record(Self.replica(), registry, startedAt: 0, finishedAt: 0.01)
        await registry.beginReconnectTest([key], master: Self.master, window: 0.2)
        await registry.reconnectTestRestarted(key, at: Self.t0 + 1)
        let after = await Self.record(Self.replica(), registry, startedAt: 2.4, finishedAt: 2.41)
        let receipt = try #require(after.receipt)
        #expect(receipt.unchangedSince >= Self.t0 + 1, "silence counts from the restart, not from the reading before it")
        #expect(!MasterSilence.isSilent(after), "1.4 s since the restart proves nothing at a 1 s period")

        // A reading of a stopped or reconnecting thread ends the measure too (an operator's
        // STOP SLAVE / START SLAVE).
        let other = InstanceRegistry()
        _ = await Self.record(Self.replica(), other, startedAt: 0, finishedAt: 0.01)
        _ = await Self.record(Self.replica(io: .stopped), other, startedAt: 0.5, finishedAt: 0.51)
        let restarted = await Self.record(Self.replica(), other, startedAt: 2, finishedAt: 2.01)
        #expect(restarted.receipt?.unchangedSince == Self.t0 + 2.01)
        #expect(!MasterSilence.isSilent(restarted))
    }
}
