import Foundation

extension Analyzer {
    /// `analysis.md` §5: the first rule whose conditions all hold.
    ///
    /// One deliberate difference: orchestrator calls a replica "replicating" only when both its
    /// threads run, so an unreachable master whose replicas merely have their SQL thread stopped
    /// is declared dead. A replica whose IO thread is connected proves the master is alive, so
    /// the "dead" rules here also require that no valid replica has its IO thread running, and
    /// the "unreachable" rules accept such a replica as evidence.
    static func classify(_ e: ReplicationAnalysis, snapshot: AnalysisSnapshot, configuration: AnalysisConfiguration) -> AnalysisCode {
        let valid = e.lastCheckValid
        let partial = e.lastCheckPartialSuccess
        let r = e.countReplicas
        let vr = e.countValidReplicas
        let vrr = e.countValidReplicatingReplicas
        let f = e.countReplicasFailingToConnectToMaster
        let l = e.countLaggingReplicas
        let d = e.countDelayedReplicas
        let connected = e.countValidReplicasWithIOThreadRunning
        let noneConnected = connected == 0

        if e.isMaster {
            if !valid {
                if r == 0 { return .deadMasterWithoutReplicas }
                if vr == r, noneConnected { return .deadMaster }
                if vr == 0, noneConnected { return .deadMasterAndReplicas }
                if vr > 0, vr < r, noneConnected { return .deadMasterAndSomeReplicas }
                if l == r, d < r, vrr > 0 { return .unreachableMasterWithLaggingReplicas }
                if !partial, vr > 0, connected > 0 { return .unreachableMaster }
                if partial, f > 0, vr > 0, connected > 0 { return .unreachableMaster }
            }
            if let code = semiSyncCode(e, snapshot: snapshot, configuration: configuration) { return code }
            if valid, e.isReadOnly, vrr > 0, configuration.recoverNonWriteableMaster { return .noWriteableMasterStructureWarning }
            if valid {
                if r == 1, vr == r, vrr == 0 { return .masterSingleReplicaNotReplicating }
                if r == 1, vr == 0 { return .masterSingleReplicaDead }
                if r > 1, vr == r, vrr == 0 { return .allMasterReplicasNotReplicating }
                if r > 1, vr > 0, vr < r, vrr == 0 { return .allMasterReplicasNotReplicatingOrDead }
            }
        }
        if e.isCoMaster {
            if !valid, r > 0, vr == r, noneConnected { return .deadCoMaster }
            if !valid, r > 0, vr > 0, vr < r, noneConnected { return .deadCoMasterAndSomeReplicas }
            if !valid, !partial, vr > 0, connected > 0 { return .unreachableCoMaster }
            if valid, r > 0, vrr == 0 { return .allCoMasterReplicasNotReplicating }
        }
        if !e.isMaster {
            if !valid {
                if r == 1, vr == r, f == r, noneConnected { return .deadIntermediateMasterWithSingleReplicaFailingToConnect }
                if r == 1, vr == r, noneConnected { return .deadIntermediateMasterWithSingleReplica }
                if r > 1, vr == r, noneConnected { return .deadIntermediateMaster }
                if vr > 0, vr < r, noneConnected { return .deadIntermediateMasterAndSomeReplicas }
                if r > 0, vr == 0 { return .deadIntermediateMasterAndReplicas }
                if l == r, d < r, vrr > 0 { return .unreachableIntermediateMasterWithLaggingReplicas }
                if !partial, vr > 0, connected > 0 { return .unreachableIntermediateMaster }
            } else {
                if r > 1, vrr == 0, f > 0, f == vr { return .allIntermediateMasterReplicasFailingToConnectOrDead }
                if r > 0, vrr == 0 { return .allIntermediateMasterReplicasNotReplicating }
            }
        }
        if e.isBinlogServer, e.isFailingToConnectToMaster { return .binlogServerFailingToConnectToMaster }
        if e.replicationDepth == 1, e.isFailingToConnectToMaster { return .firstTierReplicaFailingToConnectToMaster }
        return .noProblem
    }

    /// Rules 8 and 9. Validity is not required: a locked master may well time out our probes.
    private static func semiSyncCode(_ e: ReplicationAnalysis, snapshot: AnalysisSnapshot, configuration: AnalysisConfiguration) -> AnalysisCode? {
        guard e.semiSyncMasterEnabled, e.semiSyncMasterStatus, e.semiSyncMasterWaitForReplicaCount > 0 else { return nil }
        if e.semiSyncMasterClients < e.semiSyncMasterWaitForReplicaCount {
            return hasStaleBinlogCoordinates(e, snapshot: snapshot, configuration: configuration)
                ? .lockedSemiSyncMaster : .lockedSemiSyncMasterHypothesis
        }
        if configuration.enforceExactSemiSyncReplicas, e.semiSyncMasterClients > e.semiSyncMasterWaitForReplicaCount {
            return .masterWithTooManySemiSyncReplicas
        }
        return nil
    }

    /// The master's coordinates have been seen unchanged for longer than
    /// `ReasonableLockedSemiSyncMasterSeconds` (`analysis.md` §9).
    private static func hasStaleBinlogCoordinates(_ e: ReplicationAnalysis, snapshot: AnalysisSnapshot, configuration: AnalysisConfiguration) -> Bool {
        guard let stale = snapshot.staleBinlogCoordinates[e.analyzedInstanceKey],
              stale.coordinates.logFile == e.analyzedInstanceBinlogCoordinates.logFile,
              stale.coordinates.logPos == e.analyzedInstanceBinlogCoordinates.logPos
        else { return false }
        return snapshot.now.timeIntervalSince(stale.firstSeen) > Double(configuration.effectiveLockedSemiSyncMasterSeconds)
    }

    /// `analysis.md` §6, in orchestrator's order.
    static func structureWarnings(_ e: ReplicationAnalysis) -> [StructureAnalysisCode] {
        var warnings: [StructureAnalysisCode] = []
        let r = e.countReplicas
        if e.isMaster {
            if e.countLoggingReplicas == 0, r > 1 { warnings.append(.noLoggingReplicasStructureWarning) }
            let failoverSupport = e.oracleGTIDImmediateTopology || e.mariaDBGTIDImmediateTopology
                || e.binlogServerImmediateTopology || e.pseudoGTIDImmediateTopology
            if r > 1, !failoverSupport { warnings.append(.noFailoverSupportStructureWarning) }
            let statement = e.countStatementBasedLoggingReplicas, mixed = e.countMixedBasedLoggingReplicas
            let row = e.countRowBasedLoggingReplicas
            if statement > 0, mixed > 0 { warnings.append(.statementAndMixedLoggingReplicasStructureWarning) }
            if statement > 0, row > 0 { warnings.append(.statementAndRowLoggingReplicasStructureWarning) }
            if mixed > 0, row > 0 { warnings.append(.mixedAndRowLoggingReplicasStructureWarning) }
            if e.countDistinctMajorVersionsLoggingReplicas > 1 { warnings.append(.multipleMajorVersionsLoggingReplicasStructureWarning) }
        }
        if r > 0, e.gtidMode != e.minReplicaGTIDMode || e.gtidMode != e.maxReplicaGTIDMode {
            warnings.append(.differentGTIDModesStructureWarning)
        }
        if !e.maxReplicaGTIDErrant.isEmpty { warnings.append(.errantGTIDStructureWarning) }
        if e.isMaster, e.isReadOnly { warnings.append(.noWriteableMasterStructureWarning) }
        if e.isMaster, e.semiSyncMasterEnabled, !e.semiSyncMasterStatus, e.semiSyncMasterWaitForReplicaCount > 0,
           e.semiSyncMasterClients < e.semiSyncMasterWaitForReplicaCount {
            warnings.append(.notEnoughValidSemiSyncReplicasStructureWarning)
        }
        return warnings
    }
}
