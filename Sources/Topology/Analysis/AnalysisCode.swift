/// orchestrator's replication analysis codes (`analysis.md` §5), raw values verbatim.
package enum AnalysisCode: String, Sendable, Codable, CaseIterable {
    case noProblem = "NoProblem"
    case deadMasterWithoutReplicas = "DeadMasterWithoutReplicas"
    case deadMaster = "DeadMaster"
    case deadMasterAndReplicas = "DeadMasterAndReplicas"
    case deadMasterAndSomeReplicas = "DeadMasterAndSomeReplicas"
    case unreachableMasterWithLaggingReplicas = "UnreachableMasterWithLaggingReplicas"
    case unreachableMaster = "UnreachableMaster"
    case masterSingleReplicaNotReplicating = "MasterSingleReplicaNotReplicating"
    case masterSingleReplicaDead = "MasterSingleReplicaDead"
    case allMasterReplicasNotReplicating = "AllMasterReplicasNotReplicating"
    case allMasterReplicasNotReplicatingOrDead = "AllMasterReplicasNotReplicatingOrDead"
    case lockedSemiSyncMasterHypothesis = "LockedSemiSyncMasterHypothesis"
    case lockedSemiSyncMaster = "LockedSemiSyncMaster"
    case masterWithTooManySemiSyncReplicas = "MasterWithTooManySemiSyncReplicas"
    /// Exists in orchestrator but is never emitted (its rule is disabled there too).
    case masterWithoutReplicas = "MasterWithoutReplicas"
    case deadCoMaster = "DeadCoMaster"
    case deadCoMasterAndSomeReplicas = "DeadCoMasterAndSomeReplicas"
    case unreachableCoMaster = "UnreachableCoMaster"
    case allCoMasterReplicasNotReplicating = "AllCoMasterReplicasNotReplicating"
    case deadIntermediateMaster = "DeadIntermediateMaster"
    case deadIntermediateMasterWithSingleReplica = "DeadIntermediateMasterWithSingleReplica"
    case deadIntermediateMasterWithSingleReplicaFailingToConnect = "DeadIntermediateMasterWithSingleReplicaFailingToConnect"
    case deadIntermediateMasterAndSomeReplicas = "DeadIntermediateMasterAndSomeReplicas"
    case deadIntermediateMasterAndReplicas = "DeadIntermediateMasterAndReplicas"
    case unreachableIntermediateMasterWithLaggingReplicas = "UnreachableIntermediateMasterWithLaggingReplicas"
    case unreachableIntermediateMaster = "UnreachableIntermediateMaster"
    case allIntermediateMasterReplicasFailingToConnectOrDead = "AllIntermediateMasterReplicasFailingToConnectOrDead"
    case allIntermediateMasterReplicasNotReplicating = "AllIntermediateMasterReplicasNotReplicating"
    case firstTierReplicaFailingToConnectToMaster = "FirstTierReplicaFailingToConnectToMaster"
    case binlogServerFailingToConnectToMaster = "BinlogServerFailingToConnectToMaster"
    /// Group replication is Oracle MySQL only; kept so the vocabulary is complete.
    case deadReplicationGroupMemberWithReplicas = "DeadReplicationGroupMemberWithReplicas"
    /// Only as a main code (rule 10); otherwise it is a structure warning.
    case noWriteableMasterStructureWarning = "NoWriteableMasterStructureWarning"

    /// The text orchestrator emits with the code; hooks receive it as `{failureDescription}`.
    package var description: String {
        switch self {
        case .noProblem, .masterWithoutReplicas: ""
        case .deadMasterWithoutReplicas: "Master cannot be reached by orchestrator and has no replica"
        case .deadMaster, .deadMasterAndReplicas: "Master cannot be reached by orchestrator and none of its replicas is replicating"
        case .deadMasterAndSomeReplicas:
            "Master cannot be reached by orchestrator; some of its replicas are unreachable and none of its reachable replicas is replicating"
        case .unreachableMasterWithLaggingReplicas: "Master cannot be reached by orchestrator and all of its replicas are lagging"
        case .unreachableMaster: "Master cannot be reached by orchestrator but it has replicating replicas; possibly a network/host issue"
        case .lockedSemiSyncMaster: "Semi sync master is locked since it doesn't get enough replica acknowledgements"
        case .lockedSemiSyncMasterHypothesis: "Semi sync master seems to be locked, more samplings needed to validate"
        case .masterWithTooManySemiSyncReplicas: "Semi sync master has more semi sync replicas than configured"
        case .noWriteableMasterStructureWarning: "Master with replicas is read_only"
        case .masterSingleReplicaNotReplicating: "Master is reachable but its single replica is not replicating"
        case .masterSingleReplicaDead: "Master is reachable but its single replica is dead"
        case .allMasterReplicasNotReplicating, .allMasterReplicasNotReplicatingOrDead:
            "Master is reachable but none of its replicas is replicating"
        case .deadCoMaster: "Co-master cannot be reached by orchestrator and none of its replicas is replicating"
        case .deadCoMasterAndSomeReplicas:
            "Co-master cannot be reached by orchestrator; some of its replicas are unreachable and none of its reachable replicas is replicating"
        case .unreachableCoMaster: "Co-master cannot be reached by orchestrator but it has replicating replicas; possibly a network/host issue"
        case .allCoMasterReplicasNotReplicating: "Co-master is reachable but none of its replicas is replicating"
        case .deadIntermediateMasterWithSingleReplicaFailingToConnect:
            "Intermediate master cannot be reached by orchestrator and its (single) replica is failing to connect"
        case .deadIntermediateMasterWithSingleReplica:
            "Intermediate master cannot be reached by orchestrator and its (single) replica is not replicating"
        case .deadIntermediateMaster: "Intermediate master cannot be reached by orchestrator and none of its replicas is replicating"
        case .deadIntermediateMasterAndSomeReplicas:
            "Intermediate master cannot be reached by orchestrator; some of its replicas are unreachable and none of its reachable replicas is replicating"
        case .deadIntermediateMasterAndReplicas: "Intermediate master cannot be reached by orchestrator and all of its replicas are unreachable"
        case .unreachableIntermediateMasterWithLaggingReplicas:
            "Intermediate master cannot be reached by orchestrator and all of its replicas are lagging"
        case .unreachableIntermediateMaster:
            "Intermediate master cannot be reached by orchestrator but it has replicating replicas; possibly a network/host issue"
        case .allIntermediateMasterReplicasFailingToConnectOrDead: "Intermediate master is reachable but all of its replicas are failing to connect"
        case .allIntermediateMasterReplicasNotReplicating: "Intermediate master is reachable but none of its replicas is replicating"
        case .binlogServerFailingToConnectToMaster: "Binlog server is unable to connect to its master"
        case .firstTierReplicaFailingToConnectToMaster:
            "1st tier replica (directly replicating from topology master) is unable to connect to the master"
        case .deadReplicationGroupMemberWithReplicas: "Group member is unreachable and all its reachable replicas are not replicating"
        }
    }

    /// Codes that concern the replicas rather than the analysed instance: when every replica is
    /// downtimed the entry is skippable (`analysis.md` §7 step 4).
    package var concernsReplicas: Bool {
        switch self {
        case .allMasterReplicasNotReplicating, .allMasterReplicasNotReplicatingOrDead, .masterSingleReplicaDead,
             .allCoMasterReplicasNotReplicating, .deadIntermediateMasterWithSingleReplica,
             .deadIntermediateMasterWithSingleReplicaFailingToConnect, .deadIntermediateMasterAndReplicas,
             .deadIntermediateMasterAndSomeReplicas, .allIntermediateMasterReplicasFailingToConnectOrDead,
             .allIntermediateMasterReplicasNotReplicating:
            true
        default:
            false
        }
    }
}

/// orchestrator's structure warnings (`analysis.md` §6), raw values verbatim.
package enum StructureAnalysisCode: String, Sendable, Codable, CaseIterable {
    case noLoggingReplicasStructureWarning = "NoLoggingReplicasStructureWarning"
    case noFailoverSupportStructureWarning = "NoFailoverSupportStructureWarning"
    case statementAndMixedLoggingReplicasStructureWarning = "StatementAndMixedLoggingReplicasStructureWarning"
    case statementAndRowLoggingReplicasStructureWarning = "StatementAndRowLoggingReplicasStructureWarning"
    case mixedAndRowLoggingReplicasStructureWarning = "MixedAndRowLoggingReplicasStructureWarning"
    case multipleMajorVersionsLoggingReplicasStructureWarning = "MultipleMajorVersionsLoggingReplicasStructureWarning"
    case differentGTIDModesStructureWarning = "DifferentGTIDModesStructureWarning"
    case errantGTIDStructureWarning = "ErrantGTIDStructureWarning"
    case noWriteableMasterStructureWarning = "NoWriteableMasterStructureWarning"
    case notEnoughValidSemiSyncReplicasStructureWarning = "NotEnoughValidSemiSyncReplicasStructureWarning"
}
