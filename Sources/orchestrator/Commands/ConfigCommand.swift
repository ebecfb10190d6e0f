import ArgumentParser
import Foundation

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check or show a configuration file.", subcommands: [Check.self, Dump.self]
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

    struct Dump: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a configuration file as the service reads it, passwords and secrets shown as <redacted>."
        )

        @Option(name: .long, help: "Configuration file.")
        var config: String

        func run() async throws {
            do {
                print(try ConfigurationDump.render(path: config))
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
        }
    }
}
