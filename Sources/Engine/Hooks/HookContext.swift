import Topology

/// What a hook is told: orchestrator's `{placeholders}` and the matching `ORC_*` environment
/// variables (`hooks.md` §4–5).
package struct HookContext: Sendable, Equatable {
    /// Placeholder name (without braces) → value, replaced as plain text.
    package var placeholders: [String: String]
    package var environment: [String: String]

    /// The context of a failure-detection or recovery hook about `entry`. Unlike orchestrator,
    /// successor placeholders become empty when there is no successor instead of staying as
    /// literal `{successorHost}` text.
    package static func failure(
        _ entry: ReplicationAnalysis, orchestratorHost: String, recoveryUID: String,
        successor: (key: InstanceKey, alias: String, coordinates: BinlogCoordinates?)? = nil, lostReplicas: [InstanceKey] = []
    ) -> HookContext {
        let replicaHosts = entry.replicas.map(\.description).joined(separator: ",")
        let lost = lostReplicas.map(\.description).joined(separator: ",")
        var values: [(placeholder: String, variable: String?, value: String)] = [
            ("failureType", "ORC_FAILURE_TYPE", entry.analysis.rawValue),
            ("instanceType", "ORC_INSTANCE_TYPE", entry.instanceType),
            ("isMaster", "ORC_IS_MASTER", "\(entry.isMaster)"),
            ("isCoMaster", "ORC_IS_CO_MASTER", "\(entry.isCoMaster)"),
            ("failureDescription", "ORC_FAILURE_DESCRIPTION", entry.description),
            ("command", "ORC_COMMAND", entry.commandHint),
            ("failedHost", "ORC_FAILED_HOST", entry.analyzedInstanceKey.hostname),
            ("failedPort", "ORC_FAILED_PORT", "\(entry.analyzedInstanceKey.port)"),
            ("failureCluster", "ORC_FAILURE_CLUSTER", entry.clusterDetails.clusterName),
            ("failureClusterAlias", "ORC_FAILURE_CLUSTER_ALIAS", entry.clusterDetails.clusterAlias),
            ("failureClusterDomain", "ORC_FAILURE_CLUSTER_DOMAIN", entry.clusterDetails.clusterDomain),
            ("countReplicas", "ORC_COUNT_REPLICAS", "\(entry.countReplicas)"),
            ("countSlaves", nil, "\(entry.countReplicas)"),
            ("isDowntimed", "ORC_IS_DOWNTIMED", "\(entry.isDowntimed)"),
            ("autoMasterRecovery", "ORC_AUTO_MASTER_RECOVERY", "\(entry.clusterDetails.hasAutomatedMasterRecovery)"),
            ("autoIntermediateMasterRecovery", "ORC_AUTO_INTERMEDIATE_MASTER_RECOVERY", "\(entry.clusterDetails.hasAutomatedIntermediateMasterRecovery)"),
            ("orchestratorHost", "ORC_ORCHESTRATOR_HOST", orchestratorHost),
            ("recoveryUID", "ORC_RECOVERY_UID", recoveryUID),
            ("isSuccessful", "ORC_IS_SUCCESSFUL", "\(successor != nil)"),
            ("lostReplicas", "ORC_LOST_REPLICAS", lost),
            ("lostSlaves", nil, lost),
            ("countLostReplicas", nil, "\(lostReplicas.count)"),
            ("replicaHosts", "ORC_REPLICA_HOSTS", replicaHosts),
            ("slaveHosts", nil, replicaHosts),
        ]
        if let successor {
            values += [
                ("successorHost", "ORC_SUCCESSOR_HOST", successor.key.hostname),
                ("successorPort", "ORC_SUCCESSOR_PORT", "\(successor.key.port)"),
                ("successorAlias", "ORC_SUCCESSOR_ALIAS", successor.alias),
            ]
            if let coordinates = successor.coordinates {
                values.append(("successorBinlogCoordinates", "ORC_SUCCESSOR_BINLOG_COORDINATES", coordinates.description))
            } else {
                values.append(("successorBinlogCoordinates", nil, ""))
            }
        } else {
            values += [("successorHost", nil, ""), ("successorPort", nil, ""), ("successorAlias", nil, ""), ("successorBinlogCoordinates", nil, "")]
        }
        var context = HookContext(placeholders: [:], environment: [:])
        for (placeholder, variable, value) in values {
            context.placeholders[placeholder] = value
            if let variable { context.environment[variable] = value }
        }
        return context
    }

    /// `command` with every `{placeholder}` replaced (no quoting, as in orchestrator).
    package func substitute(into command: String) -> String {
        var result = command
        for (name, value) in placeholders { result = result.replacingOccurrences(of: "{\(name)}", with: value) }
        return result
    }
}
