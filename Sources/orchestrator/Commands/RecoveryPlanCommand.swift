import APIModels
import ArgumentParser
import Foundation
import Topology

/// `recovery-plan`: if this master died now, whom would we promote and why, what would happen to
/// each replica, and what would block the recovery. From the daemon (`-i`/`-c`) or offline from
/// a snapshot file (`--snapshot`, the input of `analyze --snapshot`), touching nothing.
struct RecoveryPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "recovery-plan", abstract: "Show what recovering a master would do, without doing it.")
    @OptionGroup var options: ClientOptions
    @Option(name: .shortAndLong, help: "The master, host:port.") var instance: String?
    @Option(name: .shortAndLong, help: "Cluster name or alias.") var cluster: String?
    @Option(name: .long, help: "Plan from a snapshot file instead of asking the daemon.") var snapshot: String?
    @Flag(name: .long, help: "Print the JSON.") var json = false

    func run() async throws {
        if let snapshot {
            let plans = try offlinePlans(snapshot)
            if json { print(JSONValue.array(plans).serialized()) } else { for plan in plans { printPlan(plan) } }
            return
        }
        try await runClient {
            let hint: String
            if let instance { hint = APIClient.encode(try ParsedInstance(instance).description) } else if let cluster { hint = APIClient.encode(cluster) } else {
                throw ClientError(message: "give -i host:port, -c cluster or --snapshot FILE")
            }
            let answer = try await options.client.get("recovery-plan/\(hint)")
            let details = (answer as? [String: Any])?["Details"]
            if json {
                let data = try JSONSerialization.data(withJSONObject: details ?? [:], options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else if let details = details as? [String: Any] {
                Self.printLines(details)
            }
        }
    }

    private func offlinePlans(_ path: String) throws -> [JSONValue] {
        let document: AnalysisSnapshotDocument
        do {
            document = try AnalysisSnapshotDocument.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch let error as SnapshotDocumentError {
            throw fail("\(path): \(error.description)")
        } catch {
            throw fail("cannot read snapshot \(path): \(error.localizedDescription)")
        }
        let instances = document.snapshot.instances
        let masters: [Instance]
        if let instance {
            let key = try ParsedInstance(instance)
            guard let master = instances.first(where: { $0.key.hostname == key.host && $0.key.port == key.port }) else {
                throw fail("\(instance) is not in \(path)")
            }
            masters = [master]
        } else {
            masters = instances.filter { !$0.isReplica && instances.contains(where: { [key = $0.key] in $0.masterKey == key }) }.sorted { $0.key < $1.key }
        }
        return masters.map { master in
            let replicas = instances.filter { $0.masterKey == master.key }
            let plan = Result { () throws(NoCandidateError) in
                try MasterRecoveryPlanner.plan(failedMaster: master.key, deadMaster: master, replicas: replicas, policy: RecoveryPolicy())
            }
            let name = master.clusterName.isEmpty ? master.key.description : master.clusterName
            let alias = document.snapshot.clusterAliases[name] ?? name
            let blockers = RecoveryGate.blockers(RecoveryGate.Facts(
                failed: master.key, clusterName: name, clusterAlias: alias, isMaster: true,
                hasAutomatedRecovery: ClusterFilter.matches(document.configuration.recoverMasterClusterFilters, clusterName: name, clusterAlias: alias),
                globallyDisabled: false, isDowntimed: document.snapshot.downtimes[master.key]?.isActive(at: document.snapshot.now) ?? false,
                activeRecoveries: []
            ))
            return RecoveryPlanJSON.encode(failedMaster: master.key, plan: plan, blockers: blockers)
        }
    }

    private func printPlan(_ plan: JSONValue) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(plan.serialized().utf8)) as? [String: Any] else { return }
        Self.printLines(object)
    }

    /// The plan as lines for people.
    static func printLines(_ plan: [String: Any]) {
        func key(_ value: Any?) -> String {
            let object = value as? [String: Any]
            return "\(object?["Hostname"] as? String ?? ""):\(object?["Port"] as? Int ?? 0)"
        }
        print("if \(key(plan["FailedMaster"])) died now:")
        if let error = plan["Error"] as? String, !error.isEmpty {
            print("  no promotion: \(error)")
        } else {
            print("  promote \(key(plan["Promoted"])) (decided by: \(plan["DecidedBy"] as? String ?? ""))")
            if plan["Relay"] is [String: Any] { print("  after it catches up from \(key(plan["Relay"]))") }
            for reason in plan["Reasons"] as? [String] ?? [] { print("  - \(reason)") }
            let rewired = (plan["Rewired"] as? [Any] ?? []).map(key)
            print("  rewire: \(rewired.isEmpty ? "none" : rewired.joined(separator: ", ")) (\(plan["Method"] as? String ?? ""))")
            for lost in plan["Lost"] as? [[String: Any]] ?? [] { print("  lost: \(key(lost["Key"])): \(lost["Reason"] as? String ?? "")") }
            for (index, step) in (plan["Steps"] as? [String] ?? []).enumerated() { print("  \(index + 1). \(step)") }
        }
        let blockers = plan["Blockers"] as? [String] ?? []
        print(blockers.isEmpty ? "  nothing blocks an automatic recovery" : "  blocked: " + blockers.joined(separator: "; "))
    }

    private func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("orchestrator recovery-plan: \(message)\n".utf8))
        return ExitCode(2)
    }
}
