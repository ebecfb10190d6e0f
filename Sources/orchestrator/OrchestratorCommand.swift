import ArgumentParser
import Foundation

@main
struct OrchestratorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orchestrator",
        abstract: "MySQL/MariaDB replication topology manager (orchestrator-compatible).",
        subcommands: [
            ServeCommand.self, DemoCommand.self, SandboxCommand.self, ConfigCommand.self,
            DiscoverCommand.self, ForgetCommand.self, InstanceCommand.self, TopologyCommand.self,
            ClustersCommand.self, ReplicationAnalysisCommand.self, ProblemsCommand.self, AnalyzeCommand.self,
            RecoverCommand.self, ForceMasterFailoverCommand.self, RecoveryPlanCommand.self, AcknowledgeCommand.self,
            RegisterCandidateCommand.self, CheckGlobalRecoveriesCommand.self, DisableGlobalRecoveriesCommand.self,
            EnableGlobalRecoveriesCommand.self, GracefulMasterTakeoverCommand.self,
            RelocateCommand.self, RelocateReplicasCommand.self, MoveUpCommand.self, MoveUpReplicasCommand.self, MoveBelowCommand.self,
            MoveGTIDCommand.self, MoveReplicasGTIDCommand.self, RepointCommand.self, RepointReplicasCommand.self, TakeMasterCommand.self,
            TakeSiblingsCommand.self, RegroupReplicasCommand.self, MakeCoMasterCommand.self, CanReplicateFromCommand.self,
            CanReplicateFromGTIDCommand.self, ReplicationControlCommand.self, BeginMaintenanceCommand.self,
            TagCommand.self, UntagCommand.self, UntagAllCommand.self, TagsCommand.self, TagValueCommand.self, TaggedCommand.self,
            BeginDowntimeCommand.self, EndDowntimeCommand.self, SubmitPoolInstancesCommand.self, WhichHeuristicClusterPoolInstancesCommand.self,
            RegisterHostnameUnresolveCommand.self, DeregisterHostnameUnresolveCommand.self, SnapshotTopologiesCommand.self,
            BenchPollCommand.self, BenchDetectCommand.self, BenchFailoverCommand.self, BenchLeaderFailoverCommand.self, BenchScaleCommand.self, BenchScaleSimulationCommand.self, BenchAnalyzeCommand.self, BenchRelocateCommand.self,
        ]
    )

    /// Accepts orchestrator's `-c COMMAND …` form as well as subcommands.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let translated = LegacyCommandLine.translate(arguments) else { return await main(arguments) }
        let known = Set(configuration.subcommands.compactMap { $0.configuration.commandName })
        guard let command = translated.first, known.contains(command) else {
            FileHandle.standardError.write(Data("orchestrator: unsupported command \(translated.first ?? "")\n".utf8))
            Foundation.exit(1)
        }
        await main(translated)
    }
}
