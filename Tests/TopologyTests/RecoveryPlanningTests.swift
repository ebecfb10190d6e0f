import Foundation
import Testing
import Topology

/// A MariaDB 10.11 GTID replica of 127.0.0.1:3306, reachable, logging replicated updates.
private func replica(
    _ port: Int, received: String, applied: String? = nil, rule: PromotionRule = .neutral, dataCenter: String = "dc1",
    version: String = "10.11.6-MariaDB-log", logSlaveUpdates: Bool = true, delay: Int64 = 0, valid: Bool = true
) -> Instance {
    var instance = Instance(key: InstanceKey(hostname: "127.0.0.1", port: port))
    instance.serverID = Int64(port)
    instance.version = version
    instance.logBinEnabled = true
    instance.logReplicationUpdatesEnabled = logSlaveUpdates
    instance.binlogFormat = "ROW"
    instance.masterKey = InstanceKey(hostname: "127.0.0.1", port: 3306)
    instance.usingMariaDBGTID = true
    instance.gtidCurrentPos = applied ?? received
    instance.gtidSlavePos = applied ?? received
    instance.receivedGtids = received
    instance.readBinlogCoordinates = BinlogCoordinates(logFile: "mysql-bin.000001", logPos: 4)
    instance.promotionRule = rule
    instance.dataCenter = dataCenter
    instance.sqlDelay = delay
    let now = Date(timeIntervalSince1970: 1_000_000)
    instance.lastChecked = now
    instance.lastSeen = valid ? now : now.addingTimeInterval(-10)
    return instance
}

private func deadMaster(dataCenter: String = "dc1", binlogPos: String = "0-1-100") -> Instance {
    var master = Instance(key: InstanceKey(hostname: "127.0.0.1", port: 3306))
    master.dataCenter = dataCenter
    master.version = "10.11.6-MariaDB-log"
    master.gtidBinlogPos = binlogPos
    return master
}

private func key(_ port: Int) -> InstanceKey { InstanceKey(hostname: "127.0.0.1", port: port) }

@Suite struct CandidateChoiceTests {
    let failed = key(3306)

    @Test func theMostAdvancedReplicaIsPromotedCountingWhatItReceived() throws {
        // 3308 applied less than 3307 but received more: its relay log makes it the most advanced.
        let replicas = [replica(3307, received: "0-1-98"), replica(3308, received: "0-1-100", applied: "0-1-95"), replica(3309, received: "0-1-97")]
        let plan = try MasterRecoveryPlanner.plan(failedMaster: failed, deadMaster: deadMaster(), replicas: replicas, policy: RecoveryPolicy())
        #expect(plan.promoted == key(3308))
        #expect(plan.choice.relay == nil)
        #expect(plan.choice.decidedBy == "most advanced")
        #expect(plan.rewired == [key(3307), key(3309)])
        #expect(plan.lost.isEmpty)
        #expect(plan.method == .mariaDBGTID)
        #expect(plan.steps == [
            .stopIOThreads([key(3307), key(3308), key(3309)]), .applyRelayLog(key(3308)), .promote(key(3308)),
            .rewire([key(3307), key(3309)], under: key(3308), method: .mariaDBGTID),
        ])
    }

    @Test func aMustNotReplicaIsNeverPromotedButRelaysWhatOnlyItReceived() throws {
        let replicas = [replica(3307, received: "0-1-100", rule: .mustNot), replica(3308, received: "0-1-99"), replica(3309, received: "0-1-98")]
        let plan = try MasterRecoveryPlanner.plan(failedMaster: failed, deadMaster: deadMaster(), replicas: replicas, policy: RecoveryPolicy())
        #expect(plan.promoted == key(3308))
        #expect(plan.choice.relay == key(3307))
        #expect(plan.choice.excluded == [Exclusion(key: key(3307), reasons: ["promotion rule must_not"])])
        #expect(plan.rewired == [key(3307), key(3309)])
        #expect(plan.lost.isEmpty)
        #expect(plan.steps.contains(.catchUp(key(3308), from: key(3307))))
    }

    @Test func aPreferredReplicaWinsWhenAsAdvanced() throws {
        let replicas = [replica(3307, received: "0-1-100"), replica(3308, received: "0-1-100", rule: .prefer), replica(3309, received: "0-1-100")]
        let plan = try MasterRecoveryPlanner.plan(failedMaster: failed, deadMaster: deadMaster(), replicas: replicas, policy: RecoveryPolicy())
        #expect(plan.promoted == key(3308))
        #expect(plan.choice.relay == nil)
        #expect(plan.choice.decidedBy == "promotion rule")
    }

    @Test func aLaggingPreferredReplicaIsPromotedInTwoSteps() throws {
        let replicas = [replica(3307, received: "0-1-100"), replica(3308, received: "0-1-90", rule: .prefer), replica(3309, received: "0-1-99")]
        let plan = try MasterRecoveryPlanner.plan(failedMaster: failed, deadMaster: deadMaster(), replicas: replicas, policy: RecoveryPolicy())
        #expect(plan.promoted == key(3308))
        #expect(plan.choice.relay == key(3307))
        #expect(plan.choice.decidedBy == "promotion rule prefer")
        #expect(plan.steps[1] == .catchUp(key(3308), from: key(3307)))
        #expect(plan.rewired == [key(3307), key(3309)])
        #expect(plan.lost.isEmpty)
    }

    @Test func theDeadMastersDataCenterOutweighsBeingMostAdvanced() throws {
        let replicas = [replica(3307, received: "0-1-100", dataCenter: "dc2"), replica(3308, received: "0-1-99", dataCenter: "dc1")]
        let plan = try MasterRecoveryPlanner.plan(failedMaster: failed, deadMaster: deadMaster(dataCenter: "dc1"), replicas: replicas, policy: RecoveryPolicy())
        #expect(plan.promoted == key(3308))
        #expect(plan.choice.relay == key(3307))
        #expect(plan.choice.decidedBy == "same data center as the failed master")
    }

    @Test func crossDataCenterPromotionCanBeForbidden() {
        var policy = RecoveryPolicy()
        policy.preventCrossDataCenterMasterFailover = true
        let replicas = [replica(3307, received: "0-1-100", dataCenter: "dc2")]
        #expect(throws: NoCandidateError.self) {
            try MasterRecoveryPlanner.plan(failedMaster: failed, deadMaster: deadMaster(dataCenter: "dc1"), replicas: replicas, policy: policy)
        }
    }

    @Test func noCandidateNamesEveryReasonOfEveryReplica() {
        let replicas = [replica(3307, received: "0-1-100", logSlaveUpdates: false), replica(3308, received: "0-1-99", delay: 3600, valid: false)]
        do {
            _ = try MasterRecoveryPlanner.plan(failedMaster: failed, deadMaster: deadMaster(), replicas: replicas, policy: RecoveryPolicy())
            Issue.record("a plan without candidate")
        } catch {
            #expect(error.excluded == [
                Exclusion(key: key(3307), reasons: ["log_slave_updates is off"]),
                Exclusion(key: key(3308), reasons: ["unreachable at its last check", "delayed replica (SQL_Delay 3600 s)"]),
            ])
            #expect(error.description.contains("127.0.0.1:3307: log_slave_updates is off"))
        }
    }

    @Test func aReplicaHoldingWhatTheNewMasterLacksIsLost() throws {
        // 3308 holds domain 1 transactions nobody else has; 3307 wins on domain 0 volume.
        let replicas = [replica(3307, received: "0-1-200"), replica(3308, received: "0-1-100,1-1-5", rule: .mustNot)]
        let plan = try MasterRecoveryPlanner.plan(failedMaster: failed, deadMaster: deadMaster(), replicas: replicas, policy: RecoveryPolicy())
        #expect(plan.promoted == key(3307))
        #expect(plan.lost.map(\.key) == [key(3308)])
        #expect(plan.lost.first?.reason.contains("domain 1: up to 1-1-5") == true)
        #expect(plan.steps.last == .detachLost([key(3308)]))
    }

    @Test func aNewerVersionIsNotPromotedAboveOlderReplicas() throws {
        let replicas = [
            replica(3307, received: "0-1-100", version: "11.4.2-MariaDB"), replica(3308, received: "0-1-100"), replica(3309, received: "0-1-100"),
        ]
        let plan = try MasterRecoveryPlanner.plan(failedMaster: failed, deadMaster: deadMaster(), replicas: replicas, policy: RecoveryPolicy())
        #expect(plan.promoted == key(3308))
        #expect(plan.choice.excluded.first?.reasons == ["version 11.4 is newer than most replicas'"])
    }
}

@Suite struct ReplicationProgressTests {
    @Test func binlogFilesAreComparedByNumberNotText() {
        let before = ReplicationProgress.coordinates(BinlogCoordinates(logFile: "mysql-bin.999999", logPos: 900))
        let after = ReplicationProgress.coordinates(BinlogCoordinates(logFile: "mysql-bin.1000000", logPos: 4))
        #expect(after.contains(before) == true)
        #expect(before.contains(after) == false)
        #expect(before.magnitude < after.magnitude)
    }

    @Test func mysqlGTIDSetsCountWhatWasRetrieved() throws {
        var instance = Instance(key: InstanceKey(hostname: "h", port: 1))
        instance.masterKey = InstanceKey(hostname: "m", port: 3306)
        instance.usingOracleGTID = true
        instance.executedGtidSet = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-90"
        instance.receivedGtids = "3e11fa47-71ca-11e1-9e33-c80aa9429562:80-95"
        let progress = ReplicationProgress(of: instance)
        #expect(progress == .mysql(try MySQLGTIDSet(parsing: "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-95")))
    }

    @Test func aMasterHoldsWhatItAppliedOrWrote() throws {
        var master = deadMaster()
        master.gtidCurrentPos = "0-1-100,1-2-7"
        #expect(ReplicationProgress(of: master) == .mariaDB(try MariaDBGTIDPosition(parsing: "0-1-100,1-2-7")))
        // A MariaDB topology that never wrote anything has an empty position, not an unknown one.
        #expect(ReplicationProgress(of: replica(3307, received: "")) == .mariaDB(MariaDBGTIDPosition()))
    }

    @Test func lostTransactionsAreWhatTheOldMasterWroteThatTheNewOneLacks() {
        var newMaster = replica(3307, received: "0-1-97")
        #expect(LostTransactions.report(oldMaster: deadMaster(binlogPos: "0-1-100"), newMaster: newMaster)
            == "domain 0: up to 0-1-100 (3 transactions after 0-1-97)")
        newMaster.gtidCurrentPos = "0-1-100"
        #expect(LostTransactions.report(oldMaster: deadMaster(binlogPos: "0-1-100"), newMaster: newMaster) == "")
    }

    @Test func replicationRulesReportEveryViolation() {
        var source = replica(3307, received: "0-1-1", version: "11.4.2-MariaDB", logSlaveUpdates: false)
        source.binlogFormat = "ROW"
        var target = replica(3308, received: "0-1-1")
        target.binlogFormat = "STATEMENT"
        target.serverID = source.serverID
        let violations = ReplicationRules.violations(replica: target, source: source, policy: RecoveryPolicy())
        #expect(violations == [
            "127.0.0.1:3307 does not log the updates it replicates (log_slave_updates is off)",
            "127.0.0.1:3308 runs version 10.11, older than 11.4 on 127.0.0.1:3307",
            "127.0.0.1:3308 logs STATEMENT and cannot replicate from 127.0.0.1:3307, which logs ROW",
            "127.0.0.1:3308 and 127.0.0.1:3307 have the same server_id 3307",
        ])
    }
}

@Suite struct IntermediateMasterPlanTests {
    @Test func theMasterTakesTheReplicasWhenNoSiblingIsInTheDataCenter() throws {
        var master = replica(3306, received: "0-1-100")
        master.masterKey = InstanceKey(hostname: "", port: 0)
        let failed = replica(3307, received: "0-1-100")
        var moving = replica(3309, received: "0-1-99")
        moving.masterKey = failed.key
        let plan = try IntermediateMasterRecoveryPlanner.plan(
            failed: failed.key, failedInstance: failed, master: master, siblings: [replica(3308, received: "0-1-90", dataCenter: "dc2")],
            replicas: [moving], policy: RecoveryPolicy()
        )
        #expect(plan.target == key(3306))
        #expect(plan.steps == [.rewire([key(3309)], under: key(3306), method: .mariaDBGTID)])
    }

    @Test func aSiblingInTheDataCenterHoldingEverythingTakesTheReplicas() throws {
        var master = replica(3306, received: "0-1-100")
        master.masterKey = InstanceKey(hostname: "", port: 0)
        let failed = replica(3307, received: "0-1-100")
        var sibling = replica(3308, received: "0-1-100")
        sibling.sqlThreadState = .running
        sibling.ioThreadState = .running
        let plan = try IntermediateMasterRecoveryPlanner.plan(
            failed: failed.key, failedInstance: failed, master: master, siblings: [sibling, failed],
            replicas: [replica(3309, received: "0-1-99")], policy: RecoveryPolicy()
        )
        #expect(plan.target == key(3308))
        #expect(plan.rewired == [key(3309)])
    }

    @Test func withoutMasterOrSiblingTheReplicasRegroup() throws {
        let failed = replica(3307, received: "0-1-100")
        let plan = try IntermediateMasterRecoveryPlanner.plan(
            failed: failed.key, failedInstance: failed, master: nil, siblings: [],
            replicas: [replica(3309, received: "0-1-99"), replica(3310, received: "0-1-100")], policy: RecoveryPolicy()
        )
        #expect(plan.target == nil)
        #expect(plan.successor == key(3310))
        #expect(plan.rewired == [key(3309)])
    }
}
