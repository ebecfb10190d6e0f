/// What orchestrator does with an analysis code (`analysis.md` §11).
package enum AnalysisDispatch: Sendable, Equatable {
    /// A recovery exists: the detection is recorded as actionable and hooks run.
    case actionable
    /// No recovery, but the detection is recorded and `OnFailureDetectionProcesses` run.
    case detectionOnly
    /// Neither recorded nor hooked (only logged).
    case ignored
}

extension AnalysisCode {
    package var dispatch: AnalysisDispatch {
        switch self {
        case .deadMaster, .deadMasterAndSomeReplicas, .lockedSemiSyncMaster, .masterWithTooManySemiSyncReplicas,
             .deadIntermediateMaster, .deadIntermediateMasterAndSomeReplicas, .deadIntermediateMasterWithSingleReplicaFailingToConnect,
             .allIntermediateMasterReplicasFailingToConnectOrDead, .deadCoMaster, .deadCoMasterAndSomeReplicas,
             .deadReplicationGroupMemberWithReplicas, .noWriteableMasterStructureWarning:
            .actionable
        case .deadIntermediateMasterAndReplicas, .deadMasterAndReplicas, .unreachableMaster, .unreachableMasterWithLaggingReplicas,
             .allMasterReplicasNotReplicating, .allMasterReplicasNotReplicatingOrDead, .unreachableIntermediateMasterWithLaggingReplicas:
            .detectionOnly
        default:
            .ignored
        }
    }
}
