import APIModels
import ArgumentParser
import Foundation
import Topology

/// Measures the analyzer on a synthetic snapshot (10,000 instances in 1,000 clusters by
/// default, one in ten masters dead), alone and end to end through `analyze --snapshot`.
struct BenchAnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-analyze", abstract: "Benchmark the analyzer on a synthetic snapshot (used by bench/analyze).", shouldDisplay: false
    )

    @Option(name: .long) var clusters = 1000
    @Option(name: .long, help: "Instances per cluster: a master, two intermediate masters, the rest below them.") var perCluster = 10
    @Option(name: .long) var repetitions = 5
    @Option(name: .long) var file = "/tmp/orchestrator-bench-snapshot.json"

    func run() async throws {
        let now = Date()
        let instances = synthetic(now: now)
        let snapshot = AnalysisSnapshot(instances: instances, now: now)
        var timings: [Double] = []
        var entries: [ReplicationAnalysis] = []
        let clock = ContinuousClock()
        for _ in 0..<repetitions {
            let started = clock.now
            entries = Analyzer.analyze(snapshot, hints: .api)
            timings.append((clock.now - started).inSeconds)
        }
        let dead = entries.filter { $0.analysis == .deadMaster }.count
        print("instances \(instances.count) in \(clusters) clusters; entries \(entries.count), DeadMaster \(dead)")
        print(String(format: "analysis alone: median %.1f ms, min %.1f ms (%d runs)", timings.sorted()[timings.count / 2] * 1000,
                     (timings.min() ?? 0) * 1000, timings.count))

        let context = InstanceJSONContext(now: now, pollSeconds: 5)
        let document = JSONValue.array(instances.map { InstanceJSON.encode($0, context: context) }).serialized()
        try Data(document.utf8).write(to: URL(fileURLWithPath: file))
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        let started = clock.now
        let process = Process()
        process.executableURL = executable
        process.arguments = ["analyze", "--snapshot", file]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: printed, as: UTF8.self).split(separator: "\n").count
        print(String(format: "analyze --snapshot end to end: %.0f ms (file %.1f MB, %d lines printed, exit %d)",
                     (clock.now - started).inSeconds * 1000, Double(document.utf8.count) / 1e6, lines, process.terminationStatus))
        if ProcessInfo.processInfo.environment["KEEP_SNAPSHOT"] == nil { try? FileManager.default.removeItem(atPath: file) }
    }

    private func synthetic(now: Date) -> [Instance] {
        var instances: [Instance] = []
        instances.reserveCapacity(clusters * perCluster)
        for cluster in 0..<clusters {
            let host = "db-\(cluster)"
            let masterDead = cluster % 10 == 0
            for index in 0..<perCluster {
                var instance = Instance(key: InstanceKey(hostname: host, port: 3306 + index))
                instance.version = "10.11.14-MariaDB-log"
                instance.logBinEnabled = true
                instance.logReplicationUpdatesEnabled = true
                instance.binlogFormat = "ROW"
                instance.clusterName = "\(host):3306"
                instance.lastSeen = now
                instance.lastChecked = now
                instance.lastAttemptedCheck = now
                instance.lastCheckPartialSuccess = true
                if index > 0 {
                    let master = index <= 2 ? 0 : 1 + index % 2
                    instance.masterKey = InstanceKey(hostname: host, port: 3306 + master)
                    instance.replicationDepth = master == 0 ? 1 : 2
                    instance.readOnly = true
                    instance.usingMariaDBGTID = true
                    instance.sqlThreadState = .running
                    instance.ioThreadState = .running
                    instance.readBinlogCoordinates = BinlogCoordinates(logFile: "mysql-bin.000001", logPos: 100)
                    instance.replicationLagSeconds = 0
                    if masterDead, master == 0 {
                        instance.ioThreadState = .other
                        instance.lastIOError = "error reconnecting to master 'repl@\(host):3306' - retry-time: 1 message: Can't connect"
                    }
                } else if masterDead {
                    instance.lastChecked = now.addingTimeInterval(1)
                    instance.lastAttemptedCheck = instance.lastChecked
                    instance.lastCheckPartialSuccess = false
                }
                instances.append(instance)
            }
        }
        return instances
    }
}
