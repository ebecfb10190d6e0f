import APIModels
import ArgumentParser
import Foundation
import Topology

/// `replication-analysis`: one line per entry, as orchestrator-client prints it. Like
/// orchestrator's own command line (`analysis.md` §7), it leaves out what downtime makes
/// skippable: a downtimed instance, and a replica-centric problem whose every replica is
/// downtimed; `--include-downtimed` shows them too, as the API does.
struct ReplicationAnalysisCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "replication-analysis", abstract: "Print the problems the analysis sees.")
    @OptionGroup var options: ClientOptions
    @Option(name: .shortAndLong, help: "Only this cluster (name or alias).") var cluster: String?
    @Flag(name: .long, help: "Also the problems of downtimed instances (and of clusters whose every replica is downtimed).")
    var includeDowntimed = false

    func run() async throws {
        try await runClient {
            let path = cluster.map { "replication-analysis/\(APIClient.encode($0))" } ?? "replication-analysis"
            let json = try await options.client.get(path)
            for entry in (json as? [String: Any])?["Details"] as? [[String: Any]] ?? [] {
                if !includeDowntimed, entry["SkippableDueToDowntime"] as? Bool == true { continue }
                let cluster = (entry["ClusterDetails"] as? [String: Any])?["ClusterName"] as? String ?? ""
                var code = entry["Analysis"] as? String ?? ""
                if code == AnalysisCode.noProblem.rawValue, let first = (entry["StructureAnalysis"] as? [String])?.first { code = first }
                print("\(keyText(entry["AnalyzedInstanceKey"])) (cluster \(cluster)): \(code)")
            }
        }
    }
}

/// `problems`: the instances with problems, one `host:port` per line.
struct ProblemsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "problems", abstract: "List instances that have problems.")
    @OptionGroup var options: ClientOptions
    @Option(name: .shortAndLong, help: "Only this cluster (name or alias).") var cluster: String?

    func run() async throws {
        try await runClient {
            let path = cluster.map { "problems/\(APIClient.encode($0))" } ?? "problems"
            let json = try await options.client.get(path)
            for instance in json as? [[String: Any]] ?? [] { print(keyText(instance["Key"])) }
        }
    }
}


/// Shadow mode: the analyzer on a snapshot file, offline, with no server contacted.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse a saved topology snapshot (shadow mode).",
        discussion: """
        FILE is a JSON array of instances as /api/cluster/... returns it (from orchestrator or from us), \
        or an object {"now", "config", "instances", "instanceBackendState", "downtime", "maintenance", \
        "staleBinlogCoordinates"}. Prints one line per problem: host:port (cluster NAME): Code.
        """
    )
    @Option(name: .long, help: "Snapshot file.") var snapshot: String
    @Flag(name: .long, help: "Print the replication-analysis JSON instead of lines.") var json = false

    func run() async throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: snapshot))
        } catch {
            throw fail("cannot read snapshot \(snapshot): \(error.localizedDescription)")
        }
        let document: AnalysisSnapshotDocument
        do throws(SnapshotDocumentError) {
            document = try AnalysisSnapshotDocument.decode(data)
        } catch {
            throw fail("\(snapshot): \(error.description)")
        }
        let entries = Analyzer.analyze(document.snapshot, configuration: document.configuration, hints: .api)
        if json {
            let node = ReplicationAnalysisJSON.Node(hostname: ProcessInfo.processInfo.hostName, token: "")
            print(APIEnvelope.ok("Analysis", details: .array(entries.map { ReplicationAnalysisJSON.encode($0, node: node) })).serialized())
            return
        }
        for line in Self.lines(entries) { print(line) }
    }

    /// By cluster, its master first, then by instance; the main code, then each structure warning.
    static func lines(_ entries: [ReplicationAnalysis]) -> [String] {
        let sorted = entries.sorted { a, b in
            if a.clusterDetails.clusterName != b.clusterDetails.clusterName { return a.clusterDetails.clusterName < b.clusterDetails.clusterName }
            if a.isMaster != b.isMaster { return a.isMaster }
            return a.analyzedInstanceKey < b.analyzedInstanceKey
        }
        return sorted.flatMap { entry in
            let prefix = "\(entry.analyzedInstanceKey) (cluster \(entry.clusterDetails.clusterName)): "
            var codes = entry.analysis == .noProblem ? [] : [entry.analysis.rawValue]
            codes += entry.structureAnalysis.map(\.rawValue).filter { !codes.contains($0) }
            return codes.map { prefix + $0 }
        }
    }

    private func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("orchestrator analyze: \(message)\n".utf8))
        return ExitCode(2)
    }
}
