import Foundation
import Topology

/// orchestrator's `ReplicationAnalysis` JSON (`json.md` §7), key order as orchestrator writes it.
package enum ReplicationAnalysisJSON {
    /// The orchestrator node that computed the entries.
    package struct Node: Sendable {
        package var hostname: String
        package var token: String
        package init(hostname: String, token: String) {
            self.hostname = hostname
            self.token = token
        }
    }

    /// `describe: false` leaves `Description` empty, as in entries read back with a recovery.
    package static func encode(_ entry: ReplicationAnalysis, node: Node, startActivePeriod: String = "", describe: Bool = true) -> JSONValue {
        let replicas = JSONValue.array(entry.replicas.map(\.json))
        let structure: JSONValue = entry.structureAnalysis.isEmpty ? .null : .array(entry.structureAnalysis.map { .string($0.rawValue) })
        let details = entry.clusterDetails
        let cluster: JSONValue = [
            "ClusterName": .string(details.clusterName),
            "ClusterAlias": .string(details.clusterAlias),
            "ClusterDomain": .string(details.clusterDomain),
            "CountInstances": 0,
            "HeuristicLag": 0,
            "HasAutomatedMasterRecovery": .bool(details.hasAutomatedMasterRecovery),
            "HasAutomatedIntermediateMasterRecovery": .bool(details.hasAutomatedIntermediateMasterRecovery),
        ]
        let coordinates = entry.analyzedInstanceBinlogCoordinates
        return [
            "AnalyzedInstanceKey": entry.analyzedInstanceKey.json,
            "AnalyzedInstanceMasterKey": entry.analyzedInstanceMasterKey.json,
            "ClusterDetails": cluster,
            "AnalyzedInstanceDataCenter": .string(entry.analyzedInstanceDataCenter),
            "AnalyzedInstanceRegion": .string(entry.analyzedInstanceRegion),
            "AnalyzedInstancePhysicalEnvironment": .string(entry.analyzedInstancePhysicalEnvironment),
            "AnalyzedInstanceBinlogCoordinates": ["LogFile": .string(coordinates.logFile), "LogPos": .int(coordinates.logPos), "Type": 0],
            "IsMaster": .bool(entry.isMaster),
            "IsReplicationGroupMember": .bool(entry.isReplicationGroupMember),
            "IsCoMaster": .bool(entry.isCoMaster),
            "LastCheckValid": .bool(entry.lastCheckValid),
            "LastCheckPartialSuccess": .bool(entry.lastCheckPartialSuccess),
            "CountReplicas": int(entry.countReplicas),
            "CountValidReplicas": int(entry.countValidReplicas),
            "CountValidReplicatingReplicas": int(entry.countValidReplicatingReplicas),
            "CountReplicasFailingToConnectToMaster": int(entry.countReplicasFailingToConnectToMaster),
            "CountDowntimedReplicas": int(entry.countDowntimedReplicas),
            "ReplicationDepth": int(entry.replicationDepth),
            "Replicas": replicas,
            "SlaveHosts": replicas,
            "IsFailingToConnectToMaster": .bool(entry.isFailingToConnectToMaster),
            "Analysis": .string(entry.analysis.rawValue),
            "Description": .string(describe ? entry.description : ""),
            "StructureAnalysis": structure,
            "IsDowntimed": .bool(entry.isDowntimed),
            "IsReplicasDowntimed": .bool(entry.isReplicasDowntimed),
            "DowntimeEndTimestamp": .string(APITimestamp.string(entry.downtimeEndTimestamp)),
            "DowntimeRemainingSeconds": .int(entry.downtimeRemainingSeconds),
            "IsBinlogServer": .bool(entry.isBinlogServer),
            "PseudoGTIDImmediateTopology": .bool(entry.pseudoGTIDImmediateTopology),
            "OracleGTIDImmediateTopology": .bool(entry.oracleGTIDImmediateTopology),
            "MariaDBGTIDImmediateTopology": .bool(entry.mariaDBGTIDImmediateTopology),
            "BinlogServerImmediateTopology": .bool(entry.binlogServerImmediateTopology),
            "SemiSyncMasterEnabled": .bool(entry.semiSyncMasterEnabled),
            "SemiSyncMasterStatus": .bool(entry.semiSyncMasterStatus),
            "SemiSyncMasterWaitForReplicaCount": .int(entry.semiSyncMasterWaitForReplicaCount),
            "SemiSyncMasterClients": .int(entry.semiSyncMasterClients),
            "CountSemiSyncReplicasEnabled": int(entry.countSemiSyncReplicasEnabled),
            "CountLoggingReplicas": int(entry.countLoggingReplicas),
            "CountStatementBasedLoggingReplicas": int(entry.countStatementBasedLoggingReplicas),
            "CountMixedBasedLoggingReplicas": int(entry.countMixedBasedLoggingReplicas),
            "CountRowBasedLoggingReplicas": int(entry.countRowBasedLoggingReplicas),
            "CountDistinctMajorVersionsLoggingReplicas": int(entry.countDistinctMajorVersionsLoggingReplicas),
            "CountDelayedReplicas": int(entry.countDelayedReplicas),
            "CountLaggingReplicas": int(entry.countLaggingReplicas),
            "IsActionableRecovery": .bool(entry.isActionableRecovery),
            "ProcessingNodeHostname": .string(node.hostname),
            "ProcessingNodeToken": .string(node.token),
            "CountAdditionalAgreeingNodes": 0,
            "StartActivePeriod": .string(startActivePeriod),
            "SkippableDueToDowntime": .bool(entry.skippableDueToDowntime),
            "GTIDMode": .string(entry.gtidMode),
            "MinReplicaGTIDMode": .string(entry.minReplicaGTIDMode),
            "MaxReplicaGTIDMode": .string(entry.maxReplicaGTIDMode),
            "MaxReplicaGTIDErrant": .string(entry.maxReplicaGTIDErrant),
            "CommandHint": .string(entry.commandHint),
            "IsReadOnly": .bool(entry.isReadOnly),
        ]
    }

    private static func int(_ value: Int) -> JSONValue { .int(Int64(value)) }
}
