import Foundation

/// One recovery (orchestrator's `topology_recovery` row, `recovery.md` §3) plus what we add:
/// the plan's reasoning, the lost-transaction report and the last step reached.
package struct TopologyRecovery: Sendable, Equatable {
    /// Assigned by the store.
    package var id: Int64 = 0
    package var uid: String
    /// The failed instance.
    package var key: InstanceKey
    package var analysis: String
    package var clusterName: String
    package var clusterAlias: String
    package var countReplicas: Int
    package var replicas: [InstanceKey]
    /// `MasterRecovery`, `IntermediateMasterRecovery`, …
    package var type: String
    /// `MasterRecoveryGTID`, `MasterRecoveryPseudoGTID`, `NotMasterRecovery`, …
    package var recoveryType: String
    package var commandHint: String
    package var isActive = true
    package var startActivePeriod: Date
    package var endRecovery: Date?
    package var processingNodeHostname: String
    package var processingNodeToken: String
    package var successor: InstanceKey?
    package var successorAlias = ""
    package var successorBinlogCoordinates: BinlogCoordinates?
    package var isSuccessful = false
    package var participatingInstances: [InstanceKey] = []
    package var lostReplicas: [InstanceKey] = []
    package var allErrors: [String] = []
    package var isAcknowledged = false
    package var acknowledgedAt: Date?
    package var acknowledgedBy = ""
    package var acknowledgedComment = ""
    package var lastDetectionID: Int64 = 0
    /// Ours: the plan's reasoning (which candidate and why, each lost replica and why).
    package var planSummary = ""
    /// Ours: transactions the old master was last seen with that the new master lacks (`""`: none).
    package var lostTransactions = ""
    /// Ours: the last step recorded, so an interrupted recovery says how far it got.
    package var lastStep = ""

    package init(
        uid: String, key: InstanceKey, analysis: String, clusterName: String, clusterAlias: String, replicas: [InstanceKey],
        type: String, recoveryType: String, commandHint: String = "", startActivePeriod: Date,
        processingNodeHostname: String, processingNodeToken: String
    ) {
        self.uid = uid
        self.key = key
        self.analysis = analysis
        self.clusterName = clusterName
        self.clusterAlias = clusterAlias
        self.countReplicas = replicas.count
        self.replicas = replicas
        self.type = type
        self.recoveryType = recoveryType
        self.commandHint = commandHint
        self.startActivePeriod = startActivePeriod
        self.processingNodeHostname = processingNodeHostname
        self.processingNodeToken = processingNodeToken
    }
}

/// One recorded step of a recovery (`topology_recovery_steps`).
package struct RecoveryStepRecord: Sendable, Equatable {
    package var id: Int64
    package var recoveryUID: String
    package var auditAt: Date
    package var message: String

    package init(id: Int64, recoveryUID: String, auditAt: Date, message: String) {
        self.id = id
        self.recoveryUID = recoveryUID
        self.auditAt = auditAt
        self.message = message
    }
}

/// A recovery attempt that another recovery blocked (`blocked_topology_recovery`).
package struct BlockedRecovery: Sendable, Equatable {
    package var key: InstanceKey
    package var clusterName: String
    package var analysis: String
    package var lastBlockedTimestamp: Date
    package var blockingRecoveryID: Int64

    package init(key: InstanceKey, clusterName: String, analysis: String, lastBlockedTimestamp: Date, blockingRecoveryID: Int64) {
        self.key = key
        self.clusterName = clusterName
        self.analysis = analysis
        self.lastBlockedTimestamp = lastBlockedTimestamp
        self.blockingRecoveryID = blockingRecoveryID
    }
}

