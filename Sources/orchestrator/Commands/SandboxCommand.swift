import ArgumentParser
import Foundation
import Logging
import Sandbox

/// `orchestrator sandbox up|down|status`: real MariaDB topologies on 127.0.0.1.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox", abstract: "Real MariaDB topologies on 127.0.0.1 for tests and demos.",
        subcommands: [Up.self, Down.self, Status.self]
    )

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create and start a topology; servers keep running after the command exits (a leftover DIR is cleaned first)."
        )
        @Option(name: .long, help: "Directory for datadirs, sockets, pid files and logs.") var dir: String
        @Option(name: .long, help: "Port of instance 0; instance i listens on base-port + i.") var basePort = 23306
        @Option(name: .long, help: "a>b: instance a replicates from instance b, e.g. \"1>0,2>0,3>2\"; \"0\" for a lone master.")
        var topology = "1>0,2>0,3>2"

        func run() async throws {
            let spec: SandboxTopologySpec
            do {
                spec = try SandboxTopologySpec(parsing: topology)
            } catch {
                throw ValidationError(error.description)
            }
            var logger = Logger(label: "orchestrator.sandbox")
            logger.logLevel = .warning
            let sandbox = try await Sandbox.up(directory: dir, basePort: basePort, topology: spec, logger: logger)
            printStatus(sandbox)
        }
    }

    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop exactly the servers the sandbox started and remove DIR.")
        @Option(name: .long, help: "The directory given to `sandbox up`.") var dir: String

        func run() async throws {
            if let sandbox = try? Sandbox.load(directory: dir) {
                try await sandbox.down()
            } else {
                // No readable sandbox.json (an `up` that crashed early): go by the pid files.
                await Sandbox.removeLeftovers(directory: dir)
            }
            print("sandbox in \(dir) stopped and removed")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the sandbox's servers and whether they run.")
        @Option(name: .long, help: "The directory given to `sandbox up`.") var dir: String

        func run() async throws {
            printStatus(try Sandbox.load(directory: dir))
        }
    }
}

/// One line per instance: index, host:port, master, pid, state.
private func printStatus(_ sandbox: Sandbox) {
    for status in sandbox.status() {
        let master = status.instance.masterIndex.map { "replica of \($0)" } ?? "master"
        let pid = status.pid.map(String.init) ?? "-"
        print("\(status.instance.index)  \(status.instance.endpoint)  \(master)  pid \(pid)  \(status.isRunning ? "running" : "stopped")")
    }
}
