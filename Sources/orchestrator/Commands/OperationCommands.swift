import ArgumentParser
import Foundation

/// What an operation command prints, as orchestrator-client does for the same command.
enum OperationOutput {
    /// `moved:port<newmaster:port` from the Instance in `Details`.
    case movedInstance
    /// One `host:port` per Instance in the `Details` list.
    case instanceList
    /// `host:port` of `Details.Key` (an Instance) .
    case instanceKey
    /// `host:port` of `Details` (an InstanceKey).
    case key
    /// `host:port` of `Details` when `Message` is `true` (can-replicate-from; a refusal is an error).
    case keyIfTrue
    /// `Details` as text (a number, or statements one per line).
    case details
}

/// `-i`, `-d`, `--pattern` and `--api`, shared by the operation commands.
struct OperationOptions: ParsableArguments {
    @OptionGroup var client: ClientOptions
    @Option(name: .shortAndLong, help: "Instance as host:port.") var instance: String
    @Option(name: .shortAndLong, help: "Destination instance as host:port.") var destination: String?
    @Option(name: .long, help: "Only the replicas whose host:port matches this regular expression.") var pattern: String?
}

/// A command that calls one `/api/<route>/host/port[/host/port]` and prints its answer.
protocol OperationCommand: AsyncParsableCommand {
    static var route: String { get }
    static var needsDestination: Bool { get }
    static var output: OperationOutput { get }
    var operation: OperationOptions { get }
}

extension OperationCommand {
    static var needsDestination: Bool { false }

    func run() async throws {
        try await runClient {
            var path = "\(Self.route)/\(try APIClient.instancePath(operation.instance))"
            if Self.needsDestination {
                guard let destination = operation.destination else { throw ClientError(message: "-d host:port (the destination) must be given") }
                path += "/\(try APIClient.instancePath(destination))"
            }
            if let pattern = operation.pattern {
                path += "?pattern=\(pattern.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? pattern)"
            }
            let json = try await operation.client.client.get(path) as? [String: Any] ?? [:]
            print(Self.render(json), terminator: "")
        }
    }

    static func render(_ envelope: [String: Any]) -> String {
        let details = envelope["Details"]
        func key(_ value: Any?) -> String {
            let object = value as? [String: Any]
            return "\(object?["Hostname"] as? String ?? ""):\(object?["Port"] as? Int ?? 0)"
        }
        switch output {
        case .movedInstance:
            let instance = details as? [String: Any]
            return "\(key(instance?["Key"]))<\(key(instance?["MasterKey"]))\n"
        case .instanceList:
            return ((details as? [[String: Any]]) ?? []).map { key($0["Key"]) + "\n" }.joined()
        case .instanceKey:
            return key((details as? [String: Any])?["Key"]) + "\n"
        case .key:
            return key(details) + "\n"
        case .keyIfTrue:
            return (envelope["Message"] as? String) == "true" ? key(details) + "\n" : ""
        case .details:
            if let list = details as? [Any] { return list.map { "\($0)\n" }.joined() }
            return details.map { "\($0)\n" } ?? ""
        }
    }
}

// MARK: Moves

struct RelocateCommand: OperationCommand {
    static let configuration = CommandConfiguration(commandName: "relocate", abstract: "Move an instance below another, by whichever method applies.")
    static let route = "relocate", needsDestination = true, output = OperationOutput.movedInstance
    @OptionGroup var operation: OperationOptions
}

struct RelocateReplicasCommand: OperationCommand {
    static let configuration = CommandConfiguration(commandName: "relocate-replicas", abstract: "Move the replicas of an instance below another.")
    static let route = "relocate-replicas", needsDestination = true, output = OperationOutput.instanceList
    @OptionGroup var operation: OperationOptions
}

struct MoveUpCommand: OperationCommand {
    static let configuration = CommandConfiguration(commandName: "move-up", abstract: "Move an instance below its master's master.")
    static let route = "move-up", output = OperationOutput.movedInstance
    @OptionGroup var operation: OperationOptions
}

struct MoveUpReplicasCommand: OperationCommand {
    static let configuration = CommandConfiguration(commandName: "move-up-replicas", abstract: "Move the replicas of an instance up to its master.")
    static let route = "move-up-replicas", output = OperationOutput.instanceList
    @OptionGroup var operation: OperationOptions
}

struct MoveBelowCommand: OperationCommand {
    static let configuration = CommandConfiguration(commandName: "move-below", abstract: "Move an instance below its sibling.")
    static let route = "move-below", needsDestination = true, output = OperationOutput.movedInstance
    @OptionGroup var operation: OperationOptions
}

struct MoveGTIDCommand: OperationCommand {
    static let configuration = CommandConfiguration(commandName: "move-gtid", abstract: "Move an instance below another by GTID.")
    static let route = "move-below-gtid", needsDestination = true, output = OperationOutput.movedInstance
    @OptionGroup var operation: OperationOptions
}

struct MoveReplicasGTIDCommand: OperationCommand {
    static let configuration = CommandConfiguration(commandName: "move-replicas-gtid", abstract: "Move the replicas of an instance below another by GTID.")
    static let route = "move-replicas-gtid", needsDestination = true, output = OperationOutput.instanceList
    @OptionGroup var operation: OperationOptions
}

struct RepointCommand: OperationCommand {
    static let configuration = CommandConfiguration(commandName: "repoint", abstract: "Point an instance at a master at its executed position.")
    static let route = "repoint", needsDestination = true, output = OperationOutput.movedInstance
    @OptionGroup var operation: OperationOptions
}

struct RepointReplicasCommand: OperationCommand {
    static let configuration = CommandConfiguration(commandName: "repoint-replicas", abstract: "Repoint the replicas of an instance to it again.")
    static let route = "repoint-replicas", output = OperationOutput.instanceList
    @OptionGroup var operation: OperationOptions
}

struct TakeMasterCommand: OperationCommand {
    static let configuration = CommandConfiguration(commandName: "take-master", abstract: "Swap an instance with its master.")
    static let route = "take-master", output = OperationOutput.movedInstance
    @OptionGroup var operation: OperationOptions
}

struct TakeSiblingsCommand: OperationCommand {
    static let configuration = CommandConfiguration(commandName: "take-siblings", abstract: "Move the siblings of an instance below it.")
    static let route = "take-siblings", output = OperationOutput.movedInstance
    @OptionGroup var operation: OperationOptions
}

struct RegroupReplicasCommand: OperationCommand {
    static let configuration = CommandConfiguration(
        commandName: "regroup-replicas", abstract: "Make the most advanced replica of an instance the master of its siblings."
    )
    static let route = "regroup-replicas", output = OperationOutput.key
    @OptionGroup var operation: OperationOptions
}

struct MakeCoMasterCommand: OperationCommand {
    static let configuration = CommandConfiguration(commandName: "make-co-master", abstract: "Make an instance's master replicate from it.")
    static let route = "make-co-master", output = OperationOutput.movedInstance
    @OptionGroup var operation: OperationOptions
}

struct CanReplicateFromCommand: OperationCommand {
    static let configuration = CommandConfiguration(
        commandName: "can-replicate-from", abstract: "Print the destination if the instance may replicate from it; else fail saying why."
    )
    static let route = "can-replicate-from", needsDestination = true, output = OperationOutput.keyIfTrue
    @OptionGroup var operation: OperationOptions
}

struct CanReplicateFromGTIDCommand: OperationCommand {
    static let configuration = CommandConfiguration(commandName: "can-replicate-from-gtid", abstract: "As can-replicate-from, by GTID.")
    static let route = "can-replicate-from-gtid", needsDestination = true, output = OperationOutput.keyIfTrue
    @OptionGroup var operation: OperationOptions
}

// MARK: Replication control

/// `orchestrator start-replica -i host:port` and its siblings: one command per route of the
/// table, named as orchestrator-client names it.
struct ReplicationControlCommand: AsyncParsableCommand {
    static let routes = [
        "start-replica", "stop-replica", "stop-replica-nice", "restart-replica", "reset-replica", "skip-query",
        "detach-replica-master-host", "reattach-replica-master-host", "set-read-only", "set-writeable",
        "enable-semi-sync-master", "disable-semi-sync-master", "enable-semi-sync-replica", "disable-semi-sync-replica",
        "flush-binary-logs", "end-maintenance",
    ]
    static let configuration = CommandConfiguration(
        commandName: "replication", abstract: "Replication control on one instance: \(routes.joined(separator: ", ")).",
        discussion: "Example: orchestrator replication stop-replica -i 127.0.0.1:23307"
    )
    @Argument(help: "One of: \(routes.joined(separator: ", ")).") var action: String
    @OptionGroup var operation: OperationOptions

    func validate() throws {
        guard Self.routes.contains(action) else { throw ValidationError("unknown action '\(action)'; one of: \(Self.routes.joined(separator: ", "))") }
    }

    func run() async throws {
        try await runClient {
            let json = try await operation.client.client.get("\(action)/\(try APIClient.instancePath(operation.instance))") as? [String: Any] ?? [:]
            print(keyText(json["Details"]))
        }
    }
}

struct BeginMaintenanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "begin-maintenance", abstract: "Take an instance's maintenance lock for 10 minutes.")
    @OptionGroup var operation: OperationOptions
    @Option(name: .long, help: "Who holds it (default: the user).") var owner: String?
    @Option(name: .shortAndLong, help: "Why.") var reason: String

    func run() async throws {
        try await runClient {
            let owner = owner ?? ProcessInfo.processInfo.environment["USER"] ?? "orchestrator"
            let path = "begin-maintenance/\(try APIClient.instancePath(operation.instance))/\(APIClient.encode(owner))/\(APIClient.encode(reason))"
            _ = try await operation.client.client.get(path)
            print(try ParsedInstance(operation.instance).description)
        }
    }
}
