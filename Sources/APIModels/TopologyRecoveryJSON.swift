import Foundation
import Topology

/// orchestrator's `TopologyRecovery` JSON as the history routes serve rows read back
/// (`json.md` §8), plus our fields at the end: `LostTransactions`, `PlanSummary`, `LastStep`.
package enum TopologyRecoveryJSON {
    /// `automatedMaster`/`automatedIntermediateMaster`: whether the cluster matches the recovery
    /// filters now (orchestrator fills these flags when reading the row).
    package static func encode(_ recovery: TopologyRecovery, automatedMaster: Bool, automatedIntermediateMaster: Bool) -> JSONValue {
        var entry = ReplicationAnalysis(
            analyzedInstanceKey: recovery.key, analyzedInstanceMasterKey: InstanceKey(hostname: "", port: 0),
            clusterDetails: AnalysisClusterDetails(
                clusterName: recovery.clusterName, clusterAlias: recovery.clusterAlias, clusterDomain: "",
                hasAutomatedMasterRecovery: automatedMaster, hasAutomatedIntermediateMasterRecovery: automatedIntermediateMaster
            )
        )
        entry.analysis = AnalysisCode(rawValue: recovery.analysis) ?? .noProblem
        entry.countReplicas = recovery.countReplicas
        entry.replicas = recovery.replicas
        let successor = recovery.successor ?? InstanceKey(hostname: "", port: 0)
        return [
            "Id": .int(recovery.id),
            "UID": .string(recovery.uid),
            "AnalysisEntry": ReplicationAnalysisJSON.encode(entry, node: ReplicationAnalysisJSON.Node(hostname: "", token: ""), describe: false),
            "SuccessorKey": successor.json,
            "SuccessorAlias": .string(recovery.successorAlias),
            "SuccessorBinlogCoordinates": recovery.successorBinlogCoordinates.map(\.json) ?? nil,
            "IsActive": .bool(recovery.isActive),
            "IsSuccessful": .bool(recovery.isSuccessful),
            "LostReplicas": .array(recovery.lostReplicas.map(\.json)),
            "ParticipatingInstanceKeys": .array(recovery.participatingInstances.map(\.json)),
            // orchestrator splits the stored text on newlines: one empty string when there were none.
            "AllErrors": .array((recovery.allErrors.isEmpty ? [""] : recovery.allErrors).map { .string($0) }),
            "RecoveryStartTimestamp": .string(APITimestamp.string(recovery.startActivePeriod)),
            "RecoveryEndTimestamp": .string(backendText(recovery.endRecovery)),
            "ProcessingNodeHostname": .string(recovery.processingNodeHostname),
            "ProcessingNodeToken": .string(recovery.processingNodeToken),
            "Acknowledged": .bool(recovery.isAcknowledged),
            "AcknowledgedAt": .string(backendText(recovery.acknowledgedAt)),
            "AcknowledgedBy": .string(recovery.acknowledgedBy),
            "AcknowledgedComment": .string(recovery.acknowledgedComment),
            "LastDetectionId": .int(recovery.lastDetectionID),
            "RelatedRecoveryId": 0,
            "Type": .string(recovery.type),
            "RecoveryType": .string(recovery.recoveryType),
            "LostTransactions": .string(recovery.lostTransactions),
            "PlanSummary": .string(recovery.planSummary),
            "LastStep": .string(recovery.lastStep),
        ]
    }

    /// `audit-recovery-steps/:uid` rows.
    package static func step(_ step: RecoveryStepRecord) -> JSONValue {
        ["Id": .int(step.id), "RecoveryUID": .string(step.recoveryUID), "AuditAt": .string(APITimestamp.string(step.auditAt)), "Message": .string(step.message)]
    }

    /// `blocked-recoveries` rows.
    package static func blocked(_ blocked: BlockedRecovery) -> JSONValue {
        [
            "FailedInstanceKey": blocked.key.json, "ClusterName": .string(blocked.clusterName), "Analysis": .string(blocked.analysis),
            "LastBlockedTimestamp": .string(APITimestamp.string(blocked.lastBlockedTimestamp)), "BlockingRecoveryId": .int(blocked.blockingRecoveryID),
        ]
    }

    /// orchestrator reads `end_recovery` and `acknowledged_at` as text: `2026-11-22 21:46:40`.
    static func backendText(_ date: Date?) -> String {
        APITimestamp.string(date).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
    }
}
