import ArgumentParser
import Foundation


struct BeginDowntimeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "begin-downtime", abstract: "Downtime an instance: no automatic recovery for it (prints the instance).")
    @OptionGroup var options: ClientOptions
    @OptionGroup var target: InstanceOption
    @Option(name: .long, help: "Who downtimes it (default: the user).") var owner: String?
    @Option(name: .shortAndLong, help: "Why.") var reason: String
    @Option(name: .long, help: "How long: digits and s, m, h, d or w (default 10m).") var duration = "10m"

    func run() async throws {
        try await runClient {
            let owner = owner ?? ProcessInfo.processInfo.environment["USER"] ?? "orchestrator"
            let path = "begin-downtime/\(try target.path)/\(APIClient.encode(owner))/\(APIClient.encode(reason))/\(APIClient.encode(duration))"
            print(keyText((try await options.client.get(path) as? [String: Any])?["Details"]))
        }
    }
}

struct EndDowntimeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "end-downtime", abstract: "End an instance's downtime (prints the instance).")
    @OptionGroup var options: ClientOptions
    @OptionGroup var target: InstanceOption

    func run() async throws {
        try await runClient {
            print(keyText((try await options.client.get("end-downtime/\(try target.path)") as? [String: Any])?["Details"]))
        }
    }
}

struct SubmitPoolInstancesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "submit-pool-instances", abstract: "Make the given instances the whole membership of a pool.")
    @OptionGroup var options: ClientOptions
    @Option(name: .shortAndLong, help: "Instances as host:port, comma-separated.") var instance: String
    @Option(name: .long, help: "Pool name.") var pool: String

    func run() async throws {
        try await runClient {
            let instances = instance.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ".-_:,"))) ?? instance
            let json = try await options.client.get("submit-pool-instances/\(APIClient.encode(pool))?instances=\(instances)")
            print((json as? [String: Any])?["Details"] as? String ?? "")
        }
    }
}

struct WhichHeuristicClusterPoolInstancesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "which-heuristic-cluster-pool-instances", abstract: "A cluster's pooled instances fit to serve (all pools, or one)."
    )
    @OptionGroup var options: ClientOptions
    @Option(name: .shortAndLong, help: "Cluster name or alias.") var cluster: String
    @Option(name: .long, help: "Pool name (default: every pool).") var pool = ""

    func run() async throws {
        try await runClient {
            let json = try await options.client.get("heuristic-cluster-pool-instances/\(APIClient.encode(cluster))/\(APIClient.encode(pool))")
            for instance in (json as? [String: Any])?["Details"] as? [Any] ?? [] { print(keyText(instance)) }
        }
    }
}

struct RegisterHostnameUnresolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register-hostname-unresolve", abstract: "Point replicas of an instance's host at a virtual name from now on."
    )
    @OptionGroup var options: ClientOptions
    @OptionGroup var target: InstanceOption
    @Option(name: .long, help: "The virtual name (a DNS alias or VIP that follows the host).") var hostname: String

    func run() async throws {
        try await runClient {
            let json = try await options.client.get("register-hostname-unresolve/\(try target.path)/\(APIClient.encode(hostname))")
            print(keyText((json as? [String: Any])?["Details"]))
        }
    }
}

struct DeregisterHostnameUnresolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deregister-hostname-unresolve", abstract: "Forget an instance's host's virtual name.")
    @OptionGroup var options: ClientOptions
    @OptionGroup var target: InstanceOption

    func run() async throws {
        try await runClient {
            print(keyText((try await options.client.get("deregister-hostname-unresolve/\(try target.path)") as? [String: Any])?["Details"]))
        }
    }
}

struct SnapshotTopologiesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "snapshot-topologies", abstract: "Record who replicates from whom, now, for every instance.")
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await runClient {
            print((try await options.client.get("snapshot-topologies") as? [String: Any])?["Details"] as? String ?? "")
        }
    }
}
