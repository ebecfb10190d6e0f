import ArgumentParser
import Foundation

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the orchestrator service: discovery, polling and the HTTP API."
    )

    @Option(name: .long, help: "Configuration file (orchestrator.conf.json format).")
    var config: String?

    @Flag(name: .long, help: "Debug logging.")
    var debug = false

    @Option(name: .long, help: "Log lines as text (for people) or json (one object per line, for log collectors).")
    var logFormat: LogFormat = .text

    func run() async throws {
        let configuration = try loadConfiguration(path: config)
        let logger = LoggingSetup.bootstrap(debug: debug || configuration.debug, format: logFormat)
        for key in configuration.unknownKeys {
            logger.warning("unknown configuration key ignored", metadata: ["key": "\(key)"])
        }
        for warning in configuration.warnings { logger.warning("\(warning)") }
        let daemon = try Daemon(configuration: configuration, logger: logger, metrics: MetricsSetup.process)
        // The policy's description redacts the password; nothing else here is secret.
        logger.info("orchestrator listening", metadata: [
            "address": "\(configuration.listenAddress)", "store": "\(configuration.sqlite3DataFile)",
            "api": "\(configuration.https == nil ? "http" : "https")://\(configuration.listenAddress)\(configuration.urlPrefix)/api",
            "access": "\(configuration.access)",
        ])
        try await daemon.run()
    }
}

/// Loads `--config`, or the default file names orchestrator looks for, or built-in defaults.
func loadConfiguration(path: String?) throws -> OrchestratorConfiguration {
    if let path { return try OrchestratorConfiguration.load(path: path) }
    for candidate in ["orchestrator.conf.json", "conf/orchestrator.conf.json", "/etc/orchestrator.conf.json"]
    where FileManager.default.fileExists(atPath: candidate) {
        return try OrchestratorConfiguration.load(path: candidate)
    }
    return try OrchestratorConfiguration.parse([:])
}
