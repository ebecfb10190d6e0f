import Foundation
import Testing
import Topology

/// A frozen master closes no connection: its replicas' IO threads keep saying "Yes". What
/// proves it silent is a receipt (heartbeats, read position) that stays the same for longer
/// than a heartbeat period and its margin, measured only between probes that read it.
struct MasterSilenceTests {
    static let master = InstanceKey(hostname: "db", port: 1)
    static let t0 = Date(timeIntervalSince1970: 1_000_000)

    static func receipt(heartbeats: Int64 = 10, period: Double = 1, position: Int64 = 500, master: InstanceKey = master) -> ReplicationReceipt {
        ReplicationReceipt(
            heartbeats: heartbeats, heartbeatPeriod: period, masterKey: master,
            readCoordinates: BinlogCoordinates(logFile: "mysql-bin.000001", logPos: position), unchangedSince: .distantPast, unchangedThrough: .distantPast
        )
    }

    /// A receipt read by probes that ran `[start, end]` (seconds after t0), in order.
    static func tracked(_ reads: [(ReplicationReceipt, start: Double, end: Double)]) -> ReplicationReceipt? {
        var current: ReplicationReceipt?
        for (read, start, end) in reads {
            current = ReplicationReceipt.tracking(read, previous: current, started: t0 + start, finished: t0 + end)
        }
        return current
    }

    static func replica(_ port: Int, receipt: ReplicationReceipt?, io: ReplicationThreadState = .running, valid: Bool = true) -> Instance {
        var instance = Instance(key: InstanceKey(hostname: "db", port: port))
        instance.masterKey = master
        instance.ioThreadState = io
        instance.sqlThreadState = .running
        instance.receipt = receipt
        instance.lastChecked = t0
        instance.lastSeen = valid ? t0 : t0 - 60
        instance.logBinEnabled = true
        instance.logReplicationUpdatesEnabled = true
        instance.binlogFormat = "ROW"
        instance.version = "10.11.6-MariaDB"
        instance.usingMariaDBGTID = true
        return instance
    }

    @Test func silenceIsProvedFromTheEndOfTheFirstReadingToTheStartOfTheLatest() throws {
        let same = Self.receipt()
        let receipt = try #require(Self.tracked([(same, 0, 0.05), (same, 0.6, 0.62), (same, 1.55, 1.56)]))
        #expect(receipt.unchangedSince == Self.t0 + 0.05)
        #expect(receipt.unchangedThrough == Self.t0 + 1.55)
        #expect(abs(MasterSilence.provenSilence(receipt) - 1.5) < 1e-9)
        // Period 1 s: the margin is 0.5 s, so 1.5 s is not yet more than 1.5 s.
        #expect(!MasterSilence.isSilent(Self.replica(2, receipt: receipt)))
        let longer = try #require(Self.tracked([(same, 0, 0.05), (same, 1.6, 1.61)]))
        #expect(MasterSilence.isSilent(Self.replica(2, receipt: longer)))
    }

    @Test func anyArrivalStartsTheSilenceAgain() throws {
        let heartbeat = try #require(Self.tracked([(Self.receipt(heartbeats: 10), 0, 0.05), (Self.receipt(heartbeats: 11), 1.7, 1.71)]))
        #expect(heartbeat.unchangedSince == Self.t0 + 1.71)
        #expect(!MasterSilence.isSilent(Self.replica(2, receipt: heartbeat)))
        let event = try #require(Self.tracked([(Self.receipt(position: 500), 0, 0.05), (Self.receipt(position: 900), 1.7, 1.71)]))
        #expect(!MasterSilence.isSilent(Self.replica(2, receipt: event)), "an event moved the read position: the master is sending")
        let newMaster = try #require(Self.tracked([
            (Self.receipt(), 0, 0.05), (Self.receipt(master: InstanceKey(hostname: "db", port: 9)), 1.7, 1.71),
        ]))
        #expect(newMaster.unchangedSince == Self.t0 + 1.71)
    }

    @Test func overlappingProbesProveNoSilence() throws {
        // The second probe started before the first finished: nothing is proved.
        let receipt = try #require(Self.tracked([(Self.receipt(), 0, 2), (Self.receipt(), 1, 3)]))
        #expect(MasterSilence.provenSilence(receipt) <= 0)
    }

    @Test func noHeartbeatsStoppedThreadsOrAReceiptFromAnotherMasterProveNothing() throws {
        let same = Self.receipt(period: 0)
        let off = try #require(Self.tracked([(same, 0, 0.05), (same, 100, 100.01)]))
        #expect(!MasterSilence.isSilent(Self.replica(2, receipt: off)), "heartbeats off: a quiet master sends nothing")
        let long = try #require(Self.tracked([(Self.receipt(), 0, 0.05), (Self.receipt(), 5, 5.01)]))
        #expect(!MasterSilence.isSilent(Self.replica(2, receipt: long, io: .stopped)))
        #expect(!MasterSilence.isSilent(Self.replica(2, receipt: nil)))
        var moved = Self.replica(2, receipt: long)
        moved.masterKey = InstanceKey(hostname: "db", port: 9)
        #expect(!MasterSilence.isSilent(moved), "the receipt is about the previous master")
    }

    @Test func theMarginIsHalfAPeriodAndAtLeast200Milliseconds() {
        #expect(MasterSilence.threshold(heartbeatPeriod: 1) == 1.5)
        #expect(MasterSilence.threshold(heartbeatPeriod: 0.25) == 0.45)
        #expect(abs(MasterSilence.threshold(heartbeatPeriod: 0.1) - 0.3) < 1e-9)
        #expect(MasterSilence.threshold(heartbeatPeriod: 30) == 45)
    }

    // MARK: Analysis

    static func unreachableMaster() -> Instance {
        var master = Instance(key: master)
        master.lastChecked = t0
        master.lastSeen = t0 - 2
        master.logBinEnabled = true
        master.logReplicationUpdatesEnabled = true
        master.binlogFormat = "ROW"
        master.version = "10.11.6-MariaDB"
        master.replicas = [InstanceKey(hostname: "db", port: 2), InstanceKey(hostname: "db", port: 3)]
        return master
    }

    static func analysis(_ replicas: [Instance]) -> ReplicationAnalysis? {
        let snapshot = AnalysisSnapshot(instances: [unreachableMaster()] + replicas, now: t0)
        return Analyzer.analyze(snapshot, configuration: AnalysisConfiguration(), hints: .api).first { $0.analyzedInstanceKey == master }
    }

    @Test func anUnreachableMasterWhoseReplicasAllHearNothingIsDead() throws {
        let silent = try #require(Self.tracked([(Self.receipt(), 0, 0.05), (Self.receipt(), 1.7, 1.71)]))
        let entry = try #require(Self.analysis([Self.replica(2, receipt: silent), Self.replica(3, receipt: silent)]))
        #expect(entry.analysis == .deadMaster)
        #expect(entry.countValidReplicatingReplicas == 0)
    }

    @Test func oneReplicaStillHearingTheMasterKeepsItUnreachableOnly() throws {
        let silent = try #require(Self.tracked([(Self.receipt(), 0, 0.05), (Self.receipt(), 1.7, 1.71)]))
        let hearing = try #require(Self.tracked([(Self.receipt(heartbeats: 10), 0, 0.05), (Self.receipt(heartbeats: 11), 1.7, 1.71)]))
        let entry = try #require(Self.analysis([Self.replica(2, receipt: silent), Self.replica(3, receipt: hearing)]))
        #expect(entry.analysis == .unreachableMaster)
        let quietButShort = try #require(Self.tracked([(Self.receipt(), 0, 0.05), (Self.receipt(), 1.4, 1.41)]))
        let notYet = try #require(Self.analysis([Self.replica(2, receipt: silent), Self.replica(3, receipt: quietButShort)]))
        #expect(notYet.analysis == .unreachableMaster, "1.35 s without a heartbeat proves nothing yet at a 1 s period")
    }
}
