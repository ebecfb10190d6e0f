import Engine
import Foundation
import Synchronization
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

    /// Collects triggers; the stream has one consumer for the registry's lifetime.
    final class Collector: Sendable {
        let names = Mutex<[String]>([])
        func take() async -> [String] {
            try? await Task.sleep(for: .milliseconds(100))
            return names.withLock { names in
                defer { names.removeAll() }
                return names
            }
        }
    }

    @Test func onlyAnalysisFactsTrigger() async throws {
        let registry = InstanceRegistry()
        let collector = Collector()
        let consumer = Task {
            for await name in registry.analysisTriggers { collector.names.withLock { $0.append(name) } }
        }
        defer { consumer.cancel() }
        let now = Date()
        var master = Self.instance(3306, master: nil)
        let replica = Self.instance(3307, master: 3306)
        await registry.recordSuccess(master, at: now)
        await registry.recordSuccess(replica, at: now)
        #expect(await collector.take() == ["db:3306", "db:3306"])
        // A write moved the binlog position: nothing analysis reads changed.
        master.selfBinlogCoordinates.logPos = 500
        await registry.recordSuccess(master, at: now.addingTimeInterval(1))
        #expect(await collector.take().isEmpty)
        await registry.recordFailure(master.key, error: "refused", partialSuccess: false, at: now.addingTimeInterval(2))
        #expect(await collector.take() == ["db:3306"])
        var stopped = replica
        stopped.ioThreadState = .other
        stopped.lastIOError = "error reconnecting to master 'repl@db:3306'"
        await registry.recordSuccess(stopped, at: now.addingTimeInterval(2))
        #expect(await collector.take() == ["db:3306"])
    }
}
