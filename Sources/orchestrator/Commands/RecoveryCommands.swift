import APIModels
import ArgumentParser
import Foundation
import Topology

/// `recover -i host:port`: recover the failure the analysis currently sees on that instance.
struct RecoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "recover", abstract: "Recover a failed master or intermediate master now.")
    @OptionGroup var options: ClientOptions
    @OptionGroup var target: InstanceOption
    @Option(name: .long, help: "Replica to promote, as host:port.") var candidate: String?
    @Flag(name: .long, help: "Do not run hooks (recover-lite).") var skipProcesses = false

    func run() async throws {
        try await runClient {
            var path = "\(skipProcesses ? "recover-lite" : "recover")/\(try target.path)"
            if let candidate { path += "/\(try APIClient.instancePath(candidate))" }
            let json = try await options.client.get(path)
            printKey((json as? [String: Any])?["Details"])
        }
    }
}

/// `force-master-failover -c cluster`.
struct ForceMasterFailoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "force-master-failover", abstract: "Fail over a cluster's master even if it is healthy.")
    @OptionGroup var options: ClientOptions
    @Option(name: .shortAndLong, help: "Cluster name, alias, or an instance host:port of it.") var cluster: String

    func run() async throws {
        try await runClient {
            let json = try await options.client.get("force-master-failover/\(APIClient.encode(cluster))")
            printKey(((json as? [String: Any])?["Details"] as? [String: Any])?["SuccessorKey"])
        }
    }
}

/// `graceful-master-takeover -c cluster [-d host:port] [--auto]`.
struct GracefulMasterTakeoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graceful-master-takeover", abstract: "Hand mastership to a replica without losing anything; the old master replicates from it."
    )
    @OptionGroup var options: ClientOptions
    @Option(name: .shortAndLong, help: "Cluster name, alias, or an instance host:port of it.") var cluster: String
    @Option(name: .shortAndLong, help: "The replica to promote, host:port.") var designated: String?
    @Flag(name: .long, help: "Choose the replica when there are several and none is designated.") var auto = false

    func run() async throws {
        try await runClient {
            var path = "\(auto ? "graceful-master-takeover-auto" : "graceful-master-takeover")/\(APIClient.encode(cluster))"
            if let designated { path += "/\(try APIClient.instancePath(designated))" }
            let json = try await options.client.get(path)
            printKey(((json as? [String: Any])?["Details"] as? [String: Any])?["SuccessorKey"])
        }
    }
}

/// `ack-cluster-recoveries`, `ack-instance-recoveries`, `ack-recovery`, `ack-all-recoveries`.
struct AcknowledgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack-recoveries", abstract: "Acknowledge recoveries (ends their block period): -c, -i, --id or --all."
    )
    @OptionGroup var options: ClientOptions
    @Option(name: .shortAndLong, help: "Cluster name or alias.") var cluster: String?
    @Option(name: .shortAndLong, help: "Failed instance, host:port.") var instance: String?
    @Option(name: .long, help: "Recovery id.") var id: Int?
    @Flag(name: .long, help: "Every unacknowledged recovery.") var all = false
    @Option(name: .long, help: "Why (required).") var comment: String

    func run() async throws {
        try await runClient {
            let query = "?comment=\(APIClient.encode(comment))"
            let path: String
            if let cluster {
                path = "ack-recovery/cluster/\(APIClient.encode(cluster))"
            } else if let instance {
                path = "ack-recovery/instance/\(try APIClient.instancePath(instance))"
            } else if let id {
                path = "ack-recovery/\(id)"
            } else if all {
                path = "ack-all-recoveries"
            } else {
                throw ClientError(message: "give -c cluster, -i host:port, --id N or --all")
            }
            let json = try await options.client.get(path + query)
            print((json as? [String: Any])?["Message"] as? String ?? "")
        }
    }
}

/// `register-candidate -i host:port --promotion-rule prefer`.
struct RegisterCandidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "register-candidate", abstract: "Set an instance's promotion rule (expires after CandidateInstanceExpireMinutes).")
    @OptionGroup var options: ClientOptions
    @OptionGroup var target: InstanceOption
    @Option(name: .long, help: "prefer, neutral, prefer_not or must_not.") var promotionRule = "prefer"

    func run() async throws {
        try await runClient {
            let json = try await options.client.get("register-candidate/\(try target.path)/\(APIClient.encode(promotionRule))")
            printKey((json as? [String: Any])?["Details"])
        }
    }
}

/// `disable-global-recoveries`, `enable-global-recoveries`, `check-global-recoveries`: the
/// route has the command's name and answers "enabled" or "disabled".
protocol GlobalRecoveriesCommand: AsyncParsableCommand {
    var options: ClientOptions { get }
}

extension GlobalRecoveriesCommand {
    func run() async throws {
        try await runClient {
            let json = try await options.client.get(Self.configuration.commandName ?? "check-global-recoveries")
            print((json as? [String: Any])?["Details"] as? String ?? "")
        }
    }
}

struct CheckGlobalRecoveriesCommand: GlobalRecoveriesCommand {
    static let configuration = CommandConfiguration(commandName: "check-global-recoveries", abstract: "Show whether recoveries are globally enabled.")
    @OptionGroup var options: ClientOptions
}

struct DisableGlobalRecoveriesCommand: GlobalRecoveriesCommand {
    static let configuration = CommandConfiguration(commandName: "disable-global-recoveries", abstract: "Stop automatic recoveries everywhere.")
    @OptionGroup var options: ClientOptions
}

struct EnableGlobalRecoveriesCommand: GlobalRecoveriesCommand {
    static let configuration = CommandConfiguration(commandName: "enable-global-recoveries", abstract: "Let automatic recoveries run again.")
    @OptionGroup var options: ClientOptions
}

private func printKey(_ key: Any?) {
    print(keyText(key))
}
