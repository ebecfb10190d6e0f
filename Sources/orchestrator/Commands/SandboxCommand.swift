import ArgumentParser
import Foundation
import Logging
import Sandbox

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox", abstract: "Real MariaDB topologies on 127.0.0.1 for tests and demos.",
        subcommands: [Up.self, Down.self, Status.self]
    )

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create and start a topology (a leftover DIR is cleaned first).")
        @Option(name: .long, help: "Directory for datadirs, sockets, pid files and logs.") var dir: String
        @Option(name: .long, help: "Port of instance 0; instance i listens on base-port + i.") var basePort = 23306
        @Option(name: .long, help: "a>b: instance a replicates from instance b, e.g. \"1>0,2>0,3>2\".") var topology = "1>0,2>0,3>2"

        func run() async throws {
            var logger = Logger(label: "orchestrator.sandbox")
            logger.logLevel = .warning
            let sandbox = try await Sandbox.up(directory: dir, basePort: basePort, topology: try SandboxTopologySpec(parsing: topology), logger: logger)
            printStatus(sandbox)
        }
    }

    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop exactly the servers the sandbox started and remove DIR.")
        @Option(name: .long) var dir: String

        func run() async throws {
            try await Sandbox.load(directory: dir).down()
            print("sandbox in \(dir) stopped and removed")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the sandbox's servers and whether they run.")
        @Option(name: .long) var dir: String

        func run() async throws {
            printStatus(try Sandbox.load(directory: dir))
        }
    }
}

private func printStatus(_ sandbox: Sandbox) {
    for status in sandbox.status() {
        let master = status.instance.masterIndex.map { "replica of \($0)" } ?? "master"
        let pid = status.pid.map(String.init) ?? "-"
        print("\(status.instance.index)  127.0.0.1:\(status.instance.port)  \(master)  pid \(pid)  \(status.isRunning ? "running" : "stopped")")
    }
}
