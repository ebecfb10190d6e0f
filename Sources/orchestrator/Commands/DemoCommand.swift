import ArgumentParser
import Engine
import Foundation
import Logging
import Sandbox
import Secrets
import ServiceLifecycle
import Topology

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start a local MariaDB topology and the orchestrator service on it; Ctrl-C stops everything."
    )

    @Option(name: .long, help: "Directory for the sandbox servers (removed on exit).")
    var dir = "/tmp/orchestrator-demo"

    @Option(name: .long, help: "Port of instance 0; instance i listens on base-port + i.")
    var basePort = 23306

    @Option(name: .long, help: "Topology: a>b means instance a replicates from instance b.")
    var topology = "1>0,2>0,3>2"

    @Option(name: .long, help: "Where the service listens.")
    var listen = "127.0.0.1:3000"

    @Option(name: .long, help: "Log lines as text (for people) or json (one object per line, for log collectors).")
    var logFormat: LogFormat = .text

    func run() async throws {
        let logger = LoggingSetup.bootstrap(debug: false, format: logFormat)
        let spec = try SandboxTopologySpec(parsing: topology)
        print("starting \(spec.instanceCount) MariaDB servers in \(dir) ...")
        let sandbox = try await Sandbox.up(directory: dir, basePort: basePort, topology: spec, logger: logger)
        do {
            var configuration = try OrchestratorConfiguration.parse([:])
            configuration.listenAddress = listen
            configuration.sqlite3DataFile = dir + ".sqlite3"
            try? FileManager.default.removeItem(atPath: configuration.sqlite3DataFile)
            configuration.mySQLTopologyUser = Sandbox.topologyCredentials.user
            configuration.mySQLTopologyPassword = Sandbox.topologyCredentials.password
            // The sandbox's replication user, for make-co-master and a demoted master after a takeover.
            let replication = Sandbox.replicationCredentials
            configuration.recovery.replicationCredentialsQuery = "SELECT '\(replication.user)', '\(replication.password.revealed)'"
            let daemon = try Daemon(configuration: configuration, logger: logger, metrics: MetricsSetup.process)
            // Seed from the deepest instance: discovery must crawl up and across to find the rest.
            let seed = sandbox.instances.last.map { InstanceKey(hostname: "127.0.0.1", port: $0.port) }
                ?? InstanceKey(hostname: "127.0.0.1", port: basePort)
            let presenter = DemoPresenter(discovery: daemon.discovery, seed: seed, expected: spec.instanceCount,
                                          pollSeconds: configuration.instancePollSeconds, listen: listen)
            try await daemon.run(extra: [presenter])
        } catch {
            logger.error("demo failed", metadata: ["error": "\(error)"])
            try await sandbox.down()
            throw error
        }
        print("stopping the sandbox servers ...")
        try await sandbox.down()
    }
}

/// Discovers the demo topology from one seed, prints its tree, then waits for Ctrl-C.
struct DemoPresenter: Service {
    let discovery: DiscoveryService
    let seed: InstanceKey
    let expected: Int
    let pollSeconds: Double
    let listen: String

    func run() async throws {
        var discovered = false
        for _ in 0..<100 where !discovered {
            discovered = (try? await discovery.discover(seed)) != nil
            if !discovered { try await Task.sleep(for: .milliseconds(200)) }
        }
        guard discovered else { throw ClientError(message: "cannot discover the seed \(seed)") }
        // Wait until the crawl found every server and each answered a probe.
        for _ in 0..<150 {
            let instances = await discovery.registry.allInstances()
            if instances.count >= expected, instances.allSatisfy(\.isLastCheckValid) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let cluster = await discovery.registry.instance(seed)?.clusterName ?? seed.description
        let instances = await discovery.registry.instances(inCluster: cluster)
        let printer = TopologyTreePrinter(description: InstanceStatusDescription(pollSeconds: pollSeconds))
        print("\ndiscovered from \(seed): cluster \(cluster)\n")
        print(printer.render(instances, now: Date()))
        print("\nweb page: http://\(listen)/web/cluster/\(cluster)  (drag a server onto another to move it)")
        print("orchestrator API: http://\(listen)/api  (try: curl http://\(listen)/api/clusters-info)")
        print("Prometheus metrics: http://\(listen)/metrics")
        print("CLI: .build/release/orchestrator topology -i \(seed)   — Ctrl-C stops the demo.")
        print("Failure detection: .build/release/orchestrator replication-analysis (quiet while healthy;")
        print("stop or kill a server and see DeadMaster, UnreachableMaster, … within milliseconds).\n")
        try await gracefulShutdown()
    }
}
