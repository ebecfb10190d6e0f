import ArgumentParser

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
            BenchPollCommand.self, BenchDetectCommand.self, BenchFailoverCommand.self, BenchAnalyzeCommand.self, BenchRelocateCommand.self,
        ]
    )
}
