import Engine
import Foundation
import Testing
import Topology

/// The registry signals a cluster for analysis exactly when a probe changes what analysis reads.
struct AnalysisTriggerTests {
    static func instance(_ port: Int, master: Int?) -> Instance {
        var instance = Instance(key: InstanceKey(hostname: "db", port: port))
        instance.version = "10.11.14-MariaDB-log"
        instance.selfBinlogCoordinates = BinlogCoordinates(logFile: "mysql-bin.000001", logPos: 100)
        if let master {
            instance.masterKey = InstanceKey(hostname: "db", port: master)
            instance.ioThreadState = .running
            instance.sqlThreadState = .running
            instance.readBinlogCoordinates = BinlogCoordinates(logFile: "mysql-bin.000001", logPos: 100)
        }
        return instance
    }

    /// Reads triggers in order. A fact change that must not trigger is followed by a marker
    /// (a new instance in a cluster of its own): the next trigger is then the marker, with no
    /// waiting on a clock to prove that nothing came.
    @Test func onlyAnalysisFactsTrigger() async throws {
        let registry = InstanceRegistry()
        var triggers = registry.analysisTriggers.makeAsyncIterator()
        let now = Date()
        var master = Self.instance(3306, master: nil)
        let replica = Self.instance(3307, master: 3306)
        await registry.recordSuccess(master, at: now)
        await registry.recordSuccess(replica, at: now)
        #expect(await triggers.next() == "db:3306")
        #expect(await triggers.next() == "db:3306")
        // A write moved the binlog position: nothing analysis reads changed.
        master.selfBinlogCoordinates.logPos = 500
        await registry.recordSuccess(master, at: now.addingTimeInterval(1))
        await registry.recordSuccess(Self.instance(4000, master: nil), at: now.addingTimeInterval(1))
        #expect(await triggers.next() == "db:4000")
        await registry.recordFailure(master.key, error: "refused", partialSuccess: false, at: now.addingTimeInterval(2))
        #expect(await triggers.next() == "db:3306")
        var stopped = replica
        stopped.ioThreadState = .other
        stopped.lastIOError = "error reconnecting to master 'repl@db:3306'"
        await registry.recordSuccess(stopped, at: now.addingTimeInterval(2))
        #expect(await triggers.next() == "db:3306")
        // The same facts again: no trigger.
        await registry.recordSuccess(stopped, at: now.addingTimeInterval(3))
        await registry.recordSuccess(Self.instance(4001, master: nil), at: now.addingTimeInterval(3))
        #expect(await triggers.next() == "db:4001")
    }
}

/// Probes overlap; the registry keeps facts from the newest-started probe.
struct ProbeOrderingTests {
    @Test func anOlderProbeNeverOverwritesANewerOne() async {
        let registry = InstanceRegistry()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let master = AnalysisTriggerTests.instance(3306, master: nil)
        await registry.recordSuccess(master, at: start, startedAt: start)
        // A newer probe succeeded; a slow one that started earlier fails afterwards.
        await registry.recordSuccess(master, at: start.addingTimeInterval(2), startedAt: start.addingTimeInterval(1))
        await registry.recordFailure(master.key, error: "timeout", partialSuccess: false, at: start.addingTimeInterval(3), startedAt: start.addingTimeInterval(0.5))
        #expect(await registry.instance(master.key)?.isLastCheckValid == true)
        #expect(await registry.instance(master.key)?.lastProbeError == "")
        // And a stale success does not undo a newer failure.
        await registry.recordFailure(master.key, error: "refused", partialSuccess: false, at: start.addingTimeInterval(4), startedAt: start.addingTimeInterval(4))
        var stale = master
        stale.readOnly = true
        await registry.recordSuccess(stale, at: start.addingTimeInterval(5), startedAt: start.addingTimeInterval(3))
        #expect(await registry.instance(master.key)?.lastProbeError == "refused")
        #expect(await registry.instance(master.key)?.readOnly == false)
        // Newer probes are recorded as usual.
        await registry.recordSuccess(stale, at: start.addingTimeInterval(6), startedAt: start.addingTimeInterval(5))
        #expect(await registry.instance(master.key)?.readOnly == true)
        #expect(await registry.instance(master.key)?.isLastCheckValid == true)
    }
}
