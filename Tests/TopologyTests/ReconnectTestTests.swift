import Foundation
import Testing
import Topology

/// The reconnect test: a replica whose IO thread the manager restarted proves its master lost
/// only when a probe begun after the window still reads it reconnecting; until then it counts
/// as connected, and a master that answers it (even with an error of its own) is alive.
struct ReconnectTestTests {
    typealias Fixture = MasterSilenceTests
    static let master = Fixture.master
    static let t0 = Fixture.t0

    /// A replica under a test restarted at t0 + 0.01 with a 0.2 s window, as a probe begun at
    /// `readAt` (seconds after t0) read it.
    static func replica(_ port: Int, io: ReplicationThreadState, readAt: Double?, ioErrno: Int64 = 0) -> Instance {
        var replica = Fixture.replica(port, receipt: Fixture.receipt(), io: io)
        var test = ReconnectTest(masterKey: master, window: 0.2, restartedAt: t0 + 0.01)
        test.latestReadingStartedAt = readAt.map { t0 + $0 }
        replica.reconnectTest = test
        replica.lastIOErrno = ioErrno
        return replica
    }

    @Test func aReplicaStillReconnectingIsUndecidedUntilAProbeBegunAfterTheWindowReadsIt() {
        #expect(ReconnectTest.isUndecided(Self.replica(2, io: .other, readAt: nil)), "no reading since the restart")
        #expect(ReconnectTest.isUndecided(Self.replica(2, io: .other, readAt: 0.15)), "read within the window")
        #expect(!ReconnectTest.isUndecided(Self.replica(2, io: .other, readAt: 0.21)), "read after the window ended")
        #expect(!ReconnectTest.isUndecided(Self.replica(2, io: .running, readAt: 0.05)), "reconnected")
        var restarting = Self.replica(2, io: .other, readAt: nil)
        restarting.reconnectTest?.restartedAt = nil
        #expect(ReconnectTest.isUndecided(restarting), "the restart has not returned yet")
        var moved = Self.replica(2, io: .other, readAt: 0.5)
        moved.reconnectTest?.latestReadingStartedAt = nil
        moved.masterKey = InstanceKey(hostname: "db", port: 9)
        #expect(!ReconnectTest.isUndecided(moved), "a test of another master says nothing")
    }

    @Test func aMasterThatAnswersWithItsOwnErrorIsAlive() {
        #expect(ReconnectTest.masterAnswered(Self.replica(2, io: .other, readAt: 0.5, ioErrno: 1040)), "Too many connections")
        #expect(ReconnectTest.masterAnswered(Self.replica(2, io: .other, readAt: 0.5, ioErrno: 1045)), "access denied")
        #expect(!ReconnectTest.masterAnswered(Self.replica(2, io: .other, readAt: 0.5, ioErrno: 2003)), "cannot connect: no answer")
        #expect(!ReconnectTest.masterAnswered(Self.replica(2, io: .other, readAt: 0.5, ioErrno: 2013)), "lost connection: no answer")
        #expect(!ReconnectTest.masterAnswered(Self.replica(2, io: .other, readAt: 0.5)))
        var untested = Self.replica(2, io: .other, readAt: 0.5, ioErrno: 1040)
        untested.reconnectTest = nil
        #expect(!ReconnectTest.masterAnswered(untested), "without a test an error is judged as always")
    }

    @Test func readingsBeforeTheRestartReturnedChangeNothingAndAReconnectedReplicaEndsTheTest() throws {
        let test = ReconnectTest(masterKey: Self.master, window: 0.2, restartedAt: Self.t0 + 0.01)
        var running = Fixture.replica(2, receipt: nil, io: .running)
        #expect(test.recording(readingStartedAt: Self.t0, of: running) == test, "begun before the restart returned: it read the old connection")
        #expect(test.recording(readingStartedAt: Self.t0 + 0.02, of: running) == nil, "read connected after the restart")
        running.ioThreadState = .other
        let later = try #require(test.recording(readingStartedAt: Self.t0 + 0.3, of: running))
        #expect(later.latestReadingStartedAt == Self.t0 + 0.3)
        let older = try #require(later.recording(readingStartedAt: Self.t0 + 0.1, of: running))
        #expect(older.latestReadingStartedAt == Self.t0 + 0.3, "the latest reading stays the latest")
        let unfinished = ReconnectTest(masterKey: Self.master, window: 0.2)
        #expect(unfinished.recording(readingStartedAt: Self.t0 + 5, of: running) == unfinished, "restart not returned yet")
        running.masterKey = InstanceKey(hostname: "db", port: 9)
        #expect(test.recording(readingStartedAt: Self.t0 + 0.3, of: running) == nil, "moved to another master")
    }

    @Test func anUnreachableMasterIsDeadOnlyOnceEveryTestedReplicaFailedToReconnect() throws {
        let undecided = try #require(Fixture.analysis([Self.replica(2, io: .other, readAt: 0.21), Self.replica(3, io: .other, readAt: 0.1)]))
        #expect(undecided.analysis == .unreachableMaster, "one replica read within the window still counts as connected")
        let dead = try #require(Fixture.analysis([Self.replica(2, io: .other, readAt: 0.21), Self.replica(3, io: .other, readAt: 0.25)]))
        #expect(dead.analysis == .deadMaster)
        let answered = try #require(Fixture.analysis([Self.replica(2, io: .other, readAt: 0.21), Self.replica(3, io: .other, readAt: 0.25, ioErrno: 1040)]))
        #expect(answered.analysis == .unreachableMaster, "the master answered one replica: alive")
        let reconnected = try #require(Fixture.analysis([Self.replica(2, io: .other, readAt: 0.21), Self.replica(3, io: .running, readAt: 0.25)]))
        #expect(reconnected.analysis == .unreachableMaster)
    }

    @Test func theTestRunsOnlyWhenEveryConnectedReplicaCanBeTested() {
        let connected = [Fixture.replica(2, receipt: Fixture.receipt()), Fixture.replica(3, receipt: Fixture.receipt())]
        let keys = connected.map(\.key)
        #expect(ReconnectTest.replicasToRestart(of: Self.master, replicas: connected, underMaintenance: []) == keys)
        var semiSync = connected
        semiSync[1].semiSyncReplicaEnabled = true
        #expect(ReconnectTest.replicasToRestart(of: Self.master, replicas: semiSync, underMaintenance: []).isEmpty, "a semi-sync replica's STOP waits for the master")
        var downtimed = connected
        downtimed[0].isDowntimed = true
        #expect(ReconnectTest.replicasToRestart(of: Self.master, replicas: downtimed, underMaintenance: []).isEmpty, "an operator owns a downtimed replica")
        #expect(ReconnectTest.replicasToRestart(of: Self.master, replicas: connected, underMaintenance: [keys[1]]).isEmpty, "an operation holds it")
        var stopped = connected
        stopped[1].ioThreadState = .stopped
        stopped[1].semiSyncReplicaEnabled = true
        #expect(ReconnectTest.replicasToRestart(of: Self.master, replicas: stopped, underMaintenance: []) == [keys[0]], "a stopped replica is neither touched nor needed")
        var unreachable = connected
        unreachable[1].lastSeen = Self.t0 - 60
        #expect(ReconnectTest.replicasToRestart(of: Self.master, replicas: unreachable, underMaintenance: []) == [keys[0]], "an unreachable replica is not touched")
        #expect(ReconnectTest.replicasToRestart(of: InstanceKey(hostname: "db", port: 9), replicas: connected, underMaintenance: []).isEmpty)
    }
}
