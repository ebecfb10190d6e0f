import ArgumentParser
import Foundation

/// Options every client command shares.
struct ClientOptions: ParsableArguments {
    @Option(name: .long, help: "orchestrator API URL (default: $ORCHESTRATOR_API or http://127.0.0.1:3000/api).")
    var api: String?

    var client: APIClient { APIClient(api: api) }
}

/// Runs a client call, printing its error on stderr with exit status 1.
func runClient(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ClientError {
        FileHandle.standardError.write(Data("orchestrator: \(error.message)\n".utf8))
        throw ExitCode(1)
    }
}

/// `-i host:port`, shared by the commands about one instance.
struct InstanceOption: ParsableArguments {
    @Option(name: .shortAndLong, help: "Instance as host:port.") var instance: String

    var path: String { get throws { try APIClient.instancePath(instance) } }
}

struct DiscoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "discover", abstract: "Discover an instance and its topology.")
    @OptionGroup var options: ClientOptions
    @OptionGroup var target: InstanceOption

    func run() async throws {
        try await runClient {
            let json = try await options.client.get("discover/\(try target.path)")
            print(keyText((json as? [String: Any])?["Details"]))
        }
    }
}

struct ForgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "forget", abstract: "Forget an instance.")
    @OptionGroup var options: ClientOptions
    @OptionGroup var target: InstanceOption

    func run() async throws {
        try await runClient {
            _ = try await options.client.get("forget/\(try target.path)")
            print(try ParsedInstance(target.instance).description)
        }
    }
}

struct InstanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "instance", abstract: "Print an instance as JSON.")
    @OptionGroup var options: ClientOptions
    @OptionGroup var target: InstanceOption

    func run() async throws {
        try await runClient {
            let json = try await options.client.get("instance/\(try target.path)")
            let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}

struct TopologyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "topology", abstract: "Print the replication tree of an instance's cluster.")
    @OptionGroup var options: ClientOptions
    @Option(name: .shortAndLong, help: "Instance as host:port.") var instance: String?
    @Option(name: .shortAndLong, help: "Cluster name or alias.") var cluster: String?
    @Flag(name: .long, help: "Pipe-separated, column-aligned output.") var tabulated = false
    @Flag(name: .long, help: "Each instance's tags after its line (topology-tags).") var tags = false

    func run() async throws {
        try await runClient {
            let route = tabulated ? "topology-tabulated" : tags ? "topology-tags" : "topology"
            let path: String
            if let instance {
                path = "\(route)/\(try APIClient.instancePath(instance))"
            } else if let cluster {
                path = "\(route)/\(APIClient.encode(cluster))"
            } else {
                throw ClientError(message: "give -i host:port or -c cluster")
            }
            let json = try await options.client.get(path)
            print((json as? [String: Any])?["Details"] as? String ?? "")
        }
    }
}

struct ClustersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clusters", abstract: "List cluster names.")
    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await runClient {
            let json = try await options.client.get("clusters")
            for name in json as? [String] ?? [] { print(name) }
        }
    }
}

extension ParsedInstance: CustomStringConvertible {
    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
