import Foundation

/// The cluster facts an analysis entry carries (`ClusterDetails` in orchestrator's JSON).
package struct AnalysisClusterDetails: Sendable, Equatable {
    package var clusterName: String
    package var clusterAlias: String
    package var clusterDomain: String
    package var hasAutomatedMasterRecovery: Bool
    package var hasAutomatedIntermediateMasterRecovery: Bool

    package init(
        clusterName: String, clusterAlias: String, clusterDomain: String, hasAutomatedMasterRecovery: Bool,
        hasAutomatedIntermediateMasterRecovery: Bool
    ) {
        self.clusterName = clusterName
        self.clusterAlias = clusterAlias
        self.clusterDomain = clusterDomain
        self.hasAutomatedMasterRecovery = hasAutomatedMasterRecovery
        self.hasAutomatedIntermediateMasterRecovery = hasAutomatedIntermediateMasterRecovery
    }
}

/// One analysis entry: the analysed instance, the counts over its replicas, and the verdict.
/// Field meanings are orchestrator's (`analysis.md` §4).
package struct ReplicationAnalysis: Sendable, Equatable {
    package var analyzedInstanceKey: InstanceKey
    package var analyzedInstanceMasterKey: InstanceKey
    package var clusterDetails: AnalysisClusterDetails
    package var analyzedInstanceDataCenter = ""
    package var analyzedInstanceRegion = ""
    package var analyzedInstancePhysicalEnvironment = ""
    package var analyzedInstanceBinlogCoordinates = BinlogCoordinates()
    package var isMaster = false
    package var isReplicationGroupMember = false
    package var isCoMaster = false
    package var lastCheckValid = false
    package var lastCheckPartialSuccess = false
    package var countReplicas = 0
    package var countValidReplicas = 0
    package var countValidReplicatingReplicas = 0
    package var countReplicasFailingToConnectToMaster = 0
    package var countDowntimedReplicas = 0
    /// Valid replicas whose IO thread is connected even if their SQL thread is stopped: proof
    /// that the master is alive, which orchestrator ignores (not part of its JSON).
    package var countValidReplicasWithIOThreadRunning = 0
    package var replicationDepth = 0
    package var replicas: [InstanceKey] = []
    package var isFailingToConnectToMaster = false
    package var analysis = AnalysisCode.noProblem
    package var structureAnalysis: [StructureAnalysisCode] = []
    package var isDowntimed = false
    package var isReplicasDowntimed = false
    package var downtimeEndTimestamp: Date?
    /// Seconds until the downtime ends (orchestrator reports now − end, negative while active).
    package var downtimeRemainingSeconds: Int64 = 0
    package var isBinlogServer = false
    package var pseudoGTIDImmediateTopology = false
    package var oracleGTIDImmediateTopology = false
    package var mariaDBGTIDImmediateTopology = false
    package var binlogServerImmediateTopology = false
    package var semiSyncMasterEnabled = false
    package var semiSyncMasterStatus = false
    package var semiSyncMasterWaitForReplicaCount: Int64 = 0
    package var semiSyncMasterClients: Int64 = 0
    package var countSemiSyncReplicasEnabled = 0
    package var countLoggingReplicas = 0
    package var countStatementBasedLoggingReplicas = 0
    package var countMixedBasedLoggingReplicas = 0
    package var countRowBasedLoggingReplicas = 0
    package var countDistinctMajorVersionsLoggingReplicas = 0
    package var countDelayedReplicas = 0
    package var countLaggingReplicas = 0
    /// Set only when an entry is dispatched to detection/recovery.
    package var isActionableRecovery = false
    package var skippableDueToDowntime = false
    package var gtidMode = ""
    package var minReplicaGTIDMode = ""
    package var maxReplicaGTIDMode = ""
    package var maxReplicaGTIDErrant = ""
    package var commandHint = ""
    package var isReadOnly = false

    package init(analyzedInstanceKey: InstanceKey, analyzedInstanceMasterKey: InstanceKey, clusterDetails: AnalysisClusterDetails) {
        self.analyzedInstanceKey = analyzedInstanceKey
        self.analyzedInstanceMasterKey = analyzedInstanceMasterKey
        self.clusterDetails = clusterDetails
    }

    /// The description text of `analysis` (`{failureDescription}` in hooks).
    package var description: String { analysis.description }

    /// orchestrator's `GetAnalysisInstanceType`: `co-master`, `group-member`, `master` or `intermediate-master`.
    package var instanceType: String {
        if isCoMaster { return "co-master" }
        if isReplicationGroupMember { return "group-member" }
        if isMaster { return "master" }
        return "intermediate-master"
    }

    /// The CLI line: `host:port (cluster name): Code`, the first structure warning when the code
    /// is `NoProblem`.
    package var commandLineSummary: String {
        let code = analysis == .noProblem ? (structureAnalysis.first?.rawValue ?? analysis.rawValue) : analysis.rawValue
        return "\(analyzedInstanceKey) (cluster \(clusterDetails.clusterName)): \(code)"
    }
}
