import Foundation
import Topology

/// One registered failure detection (orchestrator's `topology_failure_detection` row): a
/// problem seen on an instance, kept active for `FailureDetectionPeriodBlockMinutes` so that it
/// is recorded (and its hooks run) once per period.
package struct FailureDetection: Sendable, Equatable {
    /// Assigned by the store.
    package var id: Int64?
    package var key: InstanceKey
    package var analysis: String
    package var clusterName: String
    package var clusterAlias: String
    package var countReplicas: Int
    /// Replicas whose latest check succeeded, those of them replicating, and those failing to
    /// connect to the instance, at detection time.
    package var countValidReplicas: Int
    package var countValidReplicatingReplicas: Int
    package var countReplicasFailingToConnect: Int
    package var replicas: [InstanceKey]
    package var isActionable: Bool
    package var startActivePeriod: Date
    package var isActive: Bool
    package var processingNodeHostname: String
    package var processingNodeToken: String
    package var relatedRecoveryID: Int64

    package init(
        id: Int64? = nil, key: InstanceKey, analysis: String, clusterName: String, clusterAlias: String, countReplicas: Int,
        countValidReplicas: Int = 0, countValidReplicatingReplicas: Int = 0, countReplicasFailingToConnect: Int = 0,
        replicas: [InstanceKey], isActionable: Bool, startActivePeriod: Date, isActive: Bool = true,
        processingNodeHostname: String, processingNodeToken: String, relatedRecoveryID: Int64 = 0
    ) {
        self.id = id
        self.key = key
        self.analysis = analysis
        self.clusterName = clusterName
        self.clusterAlias = clusterAlias
        self.countReplicas = countReplicas
        self.countValidReplicas = countValidReplicas
        self.countValidReplicatingReplicas = countValidReplicatingReplicas
        self.countReplicasFailingToConnect = countReplicasFailingToConnect
        self.replicas = replicas
        self.isActionable = isActionable
        self.startActivePeriod = startActivePeriod
        self.isActive = isActive
        self.processingNodeHostname = processingNodeHostname
        self.processingNodeToken = processingNodeToken
        self.relatedRecoveryID = relatedRecoveryID
    }
}
