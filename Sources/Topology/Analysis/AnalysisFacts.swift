/// The facts of one instance that analysis reads, minus the ones that change on every write
/// (binlog positions). When a probe leaves them unchanged the cluster needs no new analysis.
package struct AnalysisFacts: Sendable, Equatable {
    var masterKey: InstanceKey
    var isValid: Bool
    var partial: Bool
    var ioThread: ReplicationThreadState
    var mayHearItsMaster: Bool
    var sqlThread: ReplicationThreadState
    var isFailingToConnect: Bool
    var lagBucket: Int64?
    var sqlDelay: Int64
    var readOnly: Bool
    var logging: Bool
    var binlogFormat: String
    var version: String
    var gtid: [String]
    var semiSync: [Int64]
    var replicas: [InstanceKey]
    var clusterName: String
    var depth: Int
    var isCoMaster: Bool
}

extension Instance {
    /// `lagThreshold` is `ReasonableReplicationLagSeconds`: only crossing it matters.
    package func analysisFacts(lagThreshold: Int64) -> AnalysisFacts {
        AnalysisFacts(
            masterKey: masterKey,
            isValid: isLastCheckValid,
            partial: lastCheckPartialSuccess,
            ioThread: ioThreadState,
            mayHearItsMaster: mayHearItsMaster,
            sqlThread: sqlThreadState,
            isFailingToConnect: Analyzer.isFailingToConnectToMaster(self),
            lagBucket: replicationLagSeconds.map { $0 > lagThreshold ? 1 : 0 },
            sqlDelay: sqlDelay,
            readOnly: readOnly,
            logging: logBinEnabled && logReplicationUpdatesEnabled,
            binlogFormat: binlogFormat,
            version: version,
            gtid: [gtidMode, gtidErrant, usingOracleGTID ? "oracle" : "", usingMariaDBGTID ? "mariadb" : ""],
            semiSync: [
                semiSyncMasterEnabled ? 1 : 0, semiSyncMasterStatus ? 1 : 0, semiSyncMasterWaitForReplicaCount,
                semiSyncMasterClients, semiSyncReplicaEnabled ? 1 : 0,
            ],
            replicas: replicas,
            clusterName: clusterName,
            depth: replicationDepth,
            isCoMaster: isCoMaster
        )
    }
}
