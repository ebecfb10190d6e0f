import Foundation
import Topology

/// A failure detection as orchestrator's `audit-failure-detection` serves it: the
/// `TopologyRecovery` shape with only the detection's fields filled (`json.md` §8).
package enum FailureDetectionJSON {
    package static func encode(
        id: Int64, isActive: Bool, startActivePeriod: Date, node: ReplicationAnalysisJSON.Node, relatedRecoveryID: Int64,
        entry: ReplicationAnalysis
    ) -> JSONValue {
        let start = APITimestamp.string(startActivePeriod)
        return [
            "Id": .int(id),
            "UID": "",
            "AnalysisEntry": ReplicationAnalysisJSON.encode(entry, node: ReplicationAnalysisJSON.Node(hostname: "", token: ""), startActivePeriod: start),
            "SuccessorKey": nil,
            "SuccessorAlias": "",
            "SuccessorBinlogCoordinates": nil,
            "IsActive": .bool(isActive),
            "IsSuccessful": false,
            "LostReplicas": [],
            "ParticipatingInstanceKeys": [],
            "AllErrors": nil,
            "RecoveryStartTimestamp": .string(start),
            "RecoveryEndTimestamp": "",
            "ProcessingNodeHostname": .string(node.hostname),
            "ProcessingNodeToken": .string(node.token),
            "Acknowledged": false,
            "AcknowledgedAt": "",
            "AcknowledgedBy": "",
            "AcknowledgedComment": "",
            "LastDetectionId": 0,
            "RelatedRecoveryId": .int(relatedRecoveryID),
            "Type": "",
            "RecoveryType": "",
        ]
    }
}
