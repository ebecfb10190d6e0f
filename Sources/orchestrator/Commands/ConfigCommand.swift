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
            let configuration = try loadOrExit(config)
            for key in configuration.unknownKeys { print("unknown key: \(key)") }
            for warning in configuration.warnings { print("warning: \(warning)") }
            print("configuration OK: \(config)")
        }
    }

    struct Dump: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a valid configuration file's keys as read (${ENV} substituted), with every secret redacted."
        )

        @Option(name: .long, help: "Configuration file.")
        var config: String

        func run() async throws {
            _ = try loadOrExit(config)
            do {
                print(try ConfigurationDump.render(path: config))
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
        }
    }
}

/// The configuration, or exit 2 with the reason on standard error.
private func loadOrExit(_ path: String) throws -> OrchestratorConfiguration {
    do {
        return try OrchestratorConfiguration.load(path: path)
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        throw ExitCode(2)
    }
}
