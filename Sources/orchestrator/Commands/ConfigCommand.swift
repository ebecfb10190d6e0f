import ArgumentParser
import Foundation

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check a configuration file.", subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a configuration file and report unknown keys.")

        @Option(name: .long, help: "Configuration file.")
        var config: String

        func run() async throws {
            let configuration: OrchestratorConfiguration
            do {
                configuration = try OrchestratorConfiguration.load(path: config)
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
            for key in configuration.unknownKeys { print("unknown key: \(key)") }
            print("configuration OK: \(config)")
        }
    }
}
