import Foundation
import Testing
import Topology

/// Plain-value topologies for the refactoring rule tests: every server on 127.0.0.1, healthy,
/// checked at `now`, MariaDB 10.11 with binary log and log_slave_updates on, ROW format.
enum RefactoringFixture {
    static let now = Date(timeIntervalSince1970: 1_000_000)

    enum Replication { case mariaDBGTID, mysqlGTID, coordinates }

    static func key(_ port: Int) -> InstanceKey { InstanceKey(hostname: "127.0.0.1", port: port) }

    /// A server replicating from `master` (a top master when `nil`).
    static func server(_ port: Int, below master: Int? = nil, _ replication: Replication = .mariaDBGTID, position: Int64 = 100) -> Instance {
        var instance = Instance(key: key(port))
        instance.serverID = Int64(port)
        instance.logBinEnabled = true
        instance.logReplicationUpdatesEnabled = true
        instance.binlogFormat = "ROW"
        instance.readOnly = master != nil
        instance.lastChecked = now
        instance.lastSeen = now
        instance.selfBinlogCoordinates = BinlogCoordinates(logFile: "mysql-bin.000003", logPos: 1000 + Int64(port))
        switch replication {
        case .mariaDBGTID, .coordinates:
            instance.version = "10.11.6-MariaDB-log"
            instance.gtidCurrentPos = "0-1-\(position)"
            instance.gtidBinlogPos = "0-1-\(position)"
        case .mysqlGTID:
            instance.version = "8.0.36"
            instance.gtidMode = "ON"
            instance.serverUUID = "00000000-0000-0000-0000-0000000\(port)"
            instance.executedGtidSet = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-\(position)"
        }
        guard let master else { return instance }
        instance.masterKey = key(master)
        instance.sqlThreadState = .running
        instance.ioThreadState = .running
        instance.secondsBehindMaster = 0
        instance.readBinlogCoordinates = BinlogCoordinates(logFile: "mysql-bin.000001", logPos: position)
        instance.execBinlogCoordinates = instance.readBinlogCoordinates
        switch replication {
        case .mariaDBGTID:
            instance.usingMariaDBGTID = true
            instance.gtidSlavePos = "0-1-\(position)"
        case .mysqlGTID:
            instance.usingOracleGTID = true
        case .coordinates:
            instance.gtidSlavePos = "0-1-\(position)"
        }
        return instance
    }

    static func snapshot(_ instances: [Instance], maintenance: [MaintenanceLock] = []) -> RefactoringSnapshot {
        RefactoringSnapshot(instances: instances, maintenance: maintenance, now: now)
    }

    /// 23306 ─┬─ 23307 ── 23309 ── 23310
    ///        └─ 23308
    static func chain(_ replication: Replication = .mariaDBGTID) -> [Instance] {
        [server(23306, replication), server(23307, below: 23306, replication), server(23308, below: 23306, replication),
         server(23309, below: 23307, replication), server(23310, below: 23309, replication)]
    }

    static func lock(_ port: Int, owner: String = "alice", reason: String = "upgrade") -> MaintenanceLock {
        MaintenanceLock(key: key(port), owner: owner, reason: reason, beginsAt: now.addingTimeInterval(-60), endsAt: now.addingTimeInterval(540))
    }
}

private typealias F = RefactoringFixture

/// One §1.1 rule broken alone: how, and the reason expected.
struct ReplicationRuleCase: Sendable, CustomTestStringConvertible {
    var name: String
    var breakRule: @Sendable (_ replica: inout Instance, _ source: inout Instance) -> Void
    var expected: String
    var testDescription: String { name }
}

@Suite struct ReplicationRulesTests {
    static let settingsWithFilters = ReplicationRules.Settings(verifyReplicationFilters: true)

    static let cases: [ReplicationRuleCase] = [
        .init(name: "1 same key", breakRule: { replica, source in source = replica }, expected: "127.0.0.1:23308 cannot replicate from itself"),
        .init(name: "2 no binary log", breakRule: { _, source in source.logBinEnabled = false }, expected: "127.0.0.1:23307 has no binary log"),
        .init(
            name: "3 replica source without log_slave_updates", breakRule: { _, source in source.logReplicationUpdatesEnabled = false },
            expected: "127.0.0.1:23307 does not log the updates it replicates (log_slave_updates is off)"
        ),
        .init(
            name: "4 older version", breakRule: { replica, _ in replica.version = "10.6.16-MariaDB-log" },
            expected: "127.0.0.1:23308 runs version 10.6, older than 10.11 on 127.0.0.1:23307"
        ),
        .init(
            name: "5 smaller binlog format", breakRule: { replica, _ in replica.binlogFormat = "MIXED" },
            expected: "127.0.0.1:23308 logs MIXED and cannot replicate from 127.0.0.1:23307, which logs ROW"
        ),
        .init(
            name: "6 replication filters", breakRule: { _, source in source.hasReplicationFilters = true },
            expected: "127.0.0.1:23307 has replication filters and 127.0.0.1:23308 has none"
        ),
        .init(
            name: "7 same server_id", breakRule: { replica, source in replica.serverID = source.serverID },
            expected: "127.0.0.1:23308 and 127.0.0.1:23307 have the same server_id 23307"
        ),
        .init(
            name: "8 same server_uuid", breakRule: { replica, source in replica.serverUUID = "u-1"; source.serverUUID = "u-1" },
            expected: "127.0.0.1:23308 and 127.0.0.1:23307 have the same server_uuid u-1"
        ),
        .init(
            name: "9 delayed source", breakRule: { _, source in source.sqlDelay = 3600 },
            expected: "127.0.0.1:23307 is delayed by 3600 s, more than 127.0.0.1:23308 (0 s)"
        ),
    ]

    @Test func healthySiblingsMayReplicateFromEachOther() {
        #expect(ReplicationRules.violations(replica: F.server(23308, below: 23306), source: F.server(23307, below: 23306), settings: Self.settingsWithFilters).isEmpty)
    }

    @Test(arguments: cases)
    func eachRuleAlone(_ rule: ReplicationRuleCase) {
        var replica = F.server(23308, below: 23306)
        var source = F.server(23307, below: 23306)
        rule.breakRule(&replica, &source)
        #expect(ReplicationRules.violations(replica: replica, source: source, settings: Self.settingsWithFilters) == [rule.expected])
    }

    @Test func everyViolationInRuleOrder() {
        var replica = F.server(23308, below: 23306)
        var source = F.server(23307, below: 23306)
        for rule in Self.cases.dropFirst().reversed() { rule.breakRule(&replica, &source) }
        #expect(ReplicationRules.violations(replica: replica, source: source, settings: Self.settingsWithFilters) == Self.cases.dropFirst().map(\.expected))
    }

    @Test func filtersAreOnlyVerifiedWhenConfigured() {
        var source = F.server(23307, below: 23306)
        source.hasReplicationFilters = true
        #expect(ReplicationRules.violations(replica: F.server(23308, below: 23306), source: source, policy: RefactoringPolicy()).isEmpty)
        #expect(ReplicationRules.violations(replica: F.server(23308, below: 23306), source: source, policy: RecoveryPolicy()).isEmpty)
    }

    @Test func aMasterNeedsNoLogSlaveUpdatesAndANonLoggingReplicaAnyFormat() {
        var master = F.server(23306)
        master.logReplicationUpdatesEnabled = false
        var replica = F.server(23307, below: 23306)
        replica.logReplicationUpdatesEnabled = false
        replica.binlogFormat = "STATEMENT"
        #expect(ReplicationRules.violations(replica: replica, source: master, policy: RefactoringPolicy()).isEmpty)
    }

    @Test func aSlightlyDelayedSourceIsAllowed() {
        var source = F.server(23307, below: 23306)
        source.sqlDelay = 20
        #expect(ReplicationRules.violations(replica: F.server(23308, below: 23306), source: source, policy: RefactoringPolicy()).isEmpty)
    }

    @Test func aBinlogServerIsExemptFromVersionAndIdentityRules() {
        var replica = F.server(23308, below: 23306)
        replica.version = "2.5.0-maxscale"
        let source = F.server(23307, below: 23306)
        replica.serverID = source.serverID
        #expect(replica.isBinlogServer)
        #expect(ReplicationRules.violations(replica: replica, source: source, policy: RefactoringPolicy()).isEmpty)
    }
}

@Suite struct RelationshipTests {
    @Test func siblingsAndMasters() {
        let topology = F.snapshot(F.chain())
        let (m, a, b, c) = (topology[F.key(23306)]!, topology[F.key(23307)]!, topology[F.key(23308)]!, topology[F.key(23309)]!)
        #expect(a.isSibling(of: b) && b.isSibling(of: a))
        #expect(!a.isSibling(of: a) && !a.isSibling(of: c) && !m.isSibling(of: a))
        #expect(m.isMaster(of: a) && a.isMaster(of: c))
        #expect(!a.isMaster(of: m) && !m.isMaster(of: c) && !a.isMaster(of: a))
        #expect(topology.replicas(of: F.key(23306)).map(\.key) == [F.key(23307), F.key(23308)])
    }

    @Test func descendantsFollowTheMasterChain() {
        let topology = F.snapshot(F.chain())
        #expect(topology.masterChain(of: F.key(23310)) == [F.key(23309), F.key(23307), F.key(23306)])
        #expect(topology.isDescendant(F.key(23310), of: F.key(23307)))
        #expect(topology.isDescendant(F.key(23309), of: F.key(23306)))
        #expect(!topology.isDescendant(F.key(23307), of: F.key(23309)))
        #expect(!topology.isDescendant(F.key(23308), of: F.key(23307)))
        #expect(!topology.isDescendant(F.key(23307), of: F.key(23307)))
        #expect(topology.grandmaster(of: F.key(23309)) == F.key(23306))
        #expect(topology.grandmaster(of: F.key(23307)) == nil)
    }

    @Test func coMastersDescendFromEachOtherAndLoopsEnd() {
        var a = F.server(23306, below: 23307)
        a.isCoMaster = true
        let b = F.server(23307, below: 23306)
        let ring = F.snapshot([a, b, F.server(23308, below: 23307)])
        #expect(ring.isDescendant(F.key(23306), of: F.key(23307)) && ring.isDescendant(F.key(23307), of: F.key(23306)))
        #expect(ring.masterChain(of: F.key(23308)) == [F.key(23307), F.key(23306)])
        // A broken three-server loop not including the start still ends.
        let loop = F.snapshot([F.server(23307, below: 23308), F.server(23308, below: 23309), F.server(23309, below: 23307), F.server(23310, below: 23307)])
        #expect(loop.masterChain(of: F.key(23310)) == [F.key(23307), F.key(23308), F.key(23309)])
    }

    @Test func ancestryUUIDMarksDescendantsOnMySQL() {
        let top = F.server(23306, .mysqlGTID)
        var far = F.server(23309, below: 23399, .mysqlGTID)
        far.ancestryUUID = "x,\(top.serverUUID)"
        let topology = F.snapshot([top, far])
        #expect(topology.isDescendant(far.key, of: top.key))
        #expect(!topology.isDescendant(top.key, of: far.key))
    }
}

@Suite struct MovabilityGateTests {
    let policy = RefactoringPolicy()

    private func canMove(_ change: (inout Instance) -> Void) -> [String] {
        var instance = F.server(23307, below: 23306)
        change(&instance)
        return MovabilityGate.canMove.violations(of: instance, now: F.now, policy: policy)
    }

    @Test func aHealthyReplicaPassesEveryGate() {
        for gate in MovabilityGate.allCases { #expect(gate.violations(of: F.server(23307, below: 23306), now: F.now, policy: policy).isEmpty) }
        #expect(MovabilityGate.canMoveViaMatch.violations(of: F.server(23306), now: F.now, policy: policy).isEmpty)
    }

    @Test func staleAndFailedChecks() {
        #expect(canMove { $0.lastChecked = F.now.addingTimeInterval(-26); $0.lastSeen = $0.lastChecked } == [
            "127.0.0.1:23307 was last checked 26 s ago, more than 25 s (5 × InstancePollSeconds)",
        ])
        #expect(canMove { $0.lastChecked = F.now.addingTimeInterval(-25); $0.lastSeen = $0.lastChecked }.isEmpty)
        #expect(canMove { $0.lastSeen = F.now.addingTimeInterval(-5) } == ["127.0.0.1:23307 was not reachable at its last check"])
        #expect(canMove { $0.lastChecked = nil } == ["127.0.0.1:23307 was not reachable at its last check", "127.0.0.1:23307 has never been checked"])
        var stale = F.server(23306)
        stale.lastSeen = F.now.addingTimeInterval(-100)
        stale.lastChecked = F.now.addingTimeInterval(-100)
        #expect(MovabilityGate.canMoveAsCoMaster.violations(of: stale, now: F.now, policy: policy) == [
            "127.0.0.1:23306 was last checked 100 s ago, more than 25 s (5 × InstancePollSeconds)",
        ])
    }

    @Test func stoppedThreadsAndNullLag() {
        #expect(canMove { $0.sqlThreadState = .stopped; $0.secondsBehindMaster = nil } == ["the SQL thread of 127.0.0.1:23307 is not running"])
        #expect(canMove { $0.ioThreadState = .other } == ["the IO thread of 127.0.0.1:23307 is not running"])
        #expect(canMove { $0.secondsBehindMaster = nil } == ["127.0.0.1:23307 has no replication lag figure (Seconds_Behind_Master is NULL)"])
        #expect(MovabilityGate.canMove.violations(of: F.server(23306), now: F.now, policy: policy) == ["127.0.0.1:23306 is not a replica"])
    }

    @Test func lagAndDelay() {
        #expect(canMove { $0.secondsBehindMaster = 20 }.isEmpty)
        #expect(canMove { $0.secondsBehindMaster = 21 } == ["127.0.0.1:23307 lags 21 s, more than 20 s (ReasonableMaintenanceReplicationLagSeconds)"])
        #expect(canMove { $0.sqlDelay = 3600; $0.secondsBehindMaster = 3610 }.isEmpty)
        #expect(canMove { $0.sqlDelay = 3600; $0.secondsBehindMaster = 100 } == [
            "127.0.0.1:23307 is 100 s behind with SQL_Delay 3600 s, more than 20 s off (ReasonableMaintenanceReplicationLagSeconds)",
        ])
    }

    @Test func everyFailureAtOnceAndGateStrength() {
        #expect(canMove { $0.lastSeen = F.now.addingTimeInterval(-5); $0.ioThreadState = .stopped; $0.sqlThreadState = .stopped } == [
            "127.0.0.1:23307 was not reachable at its last check", "the SQL thread of 127.0.0.1:23307 is not running",
            "the IO thread of 127.0.0.1:23307 is not running",
        ])
        var stopped = F.server(23307, below: 23306)
        stopped.sqlThreadState = .stopped
        #expect(MovabilityGate.canMoveViaMatch.violations(of: stopped, now: F.now, policy: policy).isEmpty)
        #expect(MovabilityGate.canMoveViaMatch < .canMove && MovabilityGate.canMoveAsCoMaster < .canMove)
    }
}
