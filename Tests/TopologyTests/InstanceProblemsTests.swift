import Foundation
import Testing
import Topology

/// orchestrator's `Problems` (`json.md` §5.2, `readInstanceRow` in `go/inst/instance_dao.go`).
@Suite struct InstanceProblemsTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let poll = 5.0

    /// A healthy, running, just-checked replica.
    static func replica() -> Instance {
        var instance = Instance(key: InstanceKey(hostname: "db", port: 3307))
        instance.masterKey = InstanceKey(hostname: "db", port: 3306)
        instance.readBinlogCoordinates = BinlogCoordinates(logFile: "mysql-bin.000001", logPos: 328)
        instance.sqlThreadState = .running
        instance.ioThreadState = .running
        instance.secondsBehindMaster = 0
        instance.replicationLagSeconds = 0
        instance.lastChecked = now.addingTimeInterval(-1)
        instance.lastSeen = instance.lastChecked
        return instance
    }

    static func problems(_ instance: Instance, lagThreshold: Int64 = 10) -> [String] {
        instance.problems(now: now, pollSeconds: poll, reasonableReplicationLagSeconds: lagThreshold)
    }

    @Test func healthyReplicaAndMasterHaveNone() {
        #expect(Self.problems(Self.replica()) == [])
        var master = Instance(key: InstanceKey(hostname: "db", port: 3306))
        master.lastChecked = Self.now
        master.lastSeen = Self.now
        #expect(Self.problems(master) == [])
    }

    @Test func neverCheckedOrFailedCheckIsInvalid() {
        var never = Self.replica()
        never.lastChecked = nil
        never.lastSeen = nil
        #expect(Self.problems(never) == ["last_check_invalid"])
        var failed = Self.replica()
        failed.lastSeen = Self.now.addingTimeInterval(-60)
        #expect(Self.problems(failed) == ["last_check_invalid"])
    }

    /// "Recently" is within 5 × the poll interval, inclusive.
    @Test func staleCheckIsNotRecentlyChecked() {
        var stale = Self.replica()
        stale.lastChecked = Self.now.addingTimeInterval(-25.5)
        stale.lastSeen = stale.lastChecked
        #expect(Self.problems(stale) == ["not_recently_checked"])
        stale.lastChecked = Self.now.addingTimeInterval(-25)
        stale.lastSeen = stale.lastChecked
        #expect(Self.problems(stale) == [])
    }

    @Test(arguments: [
        (ReplicationThreadState.stopped, ReplicationThreadState.running),
        (.running, .stopped),
        (.running, .other),
        (.stopped, .stopped),
    ])
    func stoppedOrConnectingThreadIsNotReplicating(sql: ReplicationThreadState, io: ReplicationThreadState) {
        var instance = Self.replica()
        instance.sqlThreadState = sql
        instance.ioThreadState = io
        #expect(Self.problems(instance) == ["not_replicating"])
    }

    /// Like orchestrator, a replica whose threads exist but which has no read coordinates yet
    /// (never connected, no GTID) is not running, hence not replicating.
    @Test func configuredButNeverConnectedReplicaIsNotReplicating() {
        var instance = Self.replica()
        instance.readBinlogCoordinates = BinlogCoordinates()
        #expect(!instance.isReplica)
        #expect(Self.problems(instance) == ["not_replicating"])
    }

    @Test func lagAboveThresholdAccountsForSQLDelay() {
        var lagging = Self.replica()
        lagging.replicationLagSeconds = 11
        #expect(Self.problems(lagging) == ["replication_lag"])
        lagging.replicationLagSeconds = 10
        #expect(Self.problems(lagging) == [])
        #expect(Self.problems(lagging, lagThreshold: 9) == ["replication_lag"])
        var delayed = Self.replica()
        delayed.sqlDelay = 3600
        delayed.replicationLagSeconds = 3605
        #expect(Self.problems(delayed) == [])
        // Far below its configured delay is as suspicious as far above it.
        delayed.replicationLagSeconds = 0
        #expect(Self.problems(delayed) == ["replication_lag"])
        var unknown = Self.replica()
        unknown.replicationLagSeconds = nil
        #expect(Self.problems(unknown) == [])
    }

    /// At most one of the first four, in order; errant GTID independently.
    @Test func onlyTheFirstOfTheExclusiveProblemsThenErrantGTID() {
        var instance = Self.replica()
        instance.sqlThreadState = .stopped
        instance.replicationLagSeconds = 500
        instance.gtidErrant = "00020192-1111-1111-1111-111111111111:1-3"
        #expect(Self.problems(instance) == ["not_replicating", "errant_gtid"])
        instance.lastSeen = nil
        #expect(Self.problems(instance) == ["last_check_invalid", "errant_gtid"])
    }
}
