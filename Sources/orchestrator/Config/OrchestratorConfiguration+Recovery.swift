import Engine
import Foundation
import Topology

extension OrchestratorConfiguration {
    /// The recovery keys (`recovery.md` §15, `hooks.md` §1) and their checks.
    static func parseRecovery(_ reader: ConfigurationReader, into config: inout OrchestratorConfiguration) throws {
        var recovery = RecoveryConfiguration()
        var policy = RecoveryPolicy()
        policy.preventCrossDataCenterMasterFailover = try reader.bool("PreventCrossDataCenterMasterFailover", default: false)
        policy.preventCrossRegionMasterFailover = try reader.bool("PreventCrossRegionMasterFailover", default: false)
        policy.failMasterPromotionOnLagMinutes = Int64(try reader.int("FailMasterPromotionOnLagMinutes", default: 0))
        policy.promotionIgnoreHostnameFilters = try reader.strings("PromotionIgnoreHostnameFilters")
        policy.reasonableMaintenanceReplicationLagSeconds = Int64(config.reasonableMaintenanceReplicationLagSeconds)
        policy.verifyReplicationFilters = try reader.bool("VerifyReplicationFilters", default: false)
        // orchestrator ORs the legacy synonym in, and the synonym defaults to true; we honour an
        // explicit false on either key (docs/differences-from-orchestrator.md).
        let detachLost = try reader.optionalBool("DetachLostReplicasAfterMasterFailover") ?? reader.optionalBool("DetachLostSlavesAfterMasterFailover") ?? true
        policy.detachLostReplicasAfterMasterFailover = detachLost
        recovery.policy = policy

        let blockSeconds = try reader.double("RecoveryPeriodBlockSeconds", default: 3600)
        let blockMinutes = try reader.double("RecoveryPeriodBlockMinutes", default: 60)
        recovery.recoveryPeriodBlockSeconds = blockSeconds > 0 ? blockSeconds : blockMinutes * 60
        recovery.candidateInstanceExpireMinutes = try reader.double("CandidateInstanceExpireMinutes", default: 60)
        recovery.maxConcurrentReplicaOperations = try reader.int("MaxConcurrentReplicaOperations", default: 5)
        recovery.failMasterPromotionIfSQLThreadNotUpToDate = try reader.bool("FailMasterPromotionIfSQLThreadNotUpToDate", default: false)
        recovery.delayMasterPromotionIfSQLThreadNotUpToDate = try reader.bool("DelayMasterPromotionIfSQLThreadNotUpToDate", default: false)
        recovery.reasonableReplicationLagSeconds = config.reasonableReplicationLagSeconds
        recovery.preFailoverProcesses = try reader.strings("PreFailoverProcesses")
        recovery.postMasterFailoverProcesses = try reader.strings("PostMasterFailoverProcesses")
        recovery.postIntermediateMasterFailoverProcesses = try reader.strings("PostIntermediateMasterFailoverProcesses")
        recovery.postFailoverProcesses = try reader.strings("PostFailoverProcesses")
        recovery.postUnsuccessfulFailoverProcesses = try reader.strings("PostUnsuccessfulFailoverProcesses")
        recovery.preGracefulTakeoverProcesses = try reader.strings("PreGracefulTakeoverProcesses")
        recovery.postGracefulTakeoverProcesses = try reader.strings("PostGracefulTakeoverProcesses")
        config.postTakeMasterProcesses = try reader.strings("PostTakeMasterProcesses")
        recovery.replicationCredentialsQuery = try reader.string("ReplicationCredentialsQuery", default: "")
        recovery.rejoinFailedMasterAsReplica = try reader.bool("RejoinFailedMasterAsReplica", default: false)
        recovery.reasonableMaintenanceReplicationLagSeconds = config.reasonableMaintenanceReplicationLagSeconds
        config.kvClusterMasterPrefix = try reader.string("KVClusterMasterPrefix", default: "mysql/master")
        config.zkAddress = try reader.string("ZkAddress", default: "")
        config.etcdEndpoints = try reader.strings("EtcdEndpoints")
        for endpoint in config.etcdEndpoints where URL(string: endpoint)?.scheme.map({ ["http", "https"].contains($0) }) != true {
            throw ConfigurationError.invalid("EtcdEndpoints", "'\(endpoint)' is not an http(s) URL")
        }
        config.etcdLeaseTTLSeconds = try reader.int("EtcdLeaseTTLSeconds", default: 2)
        guard config.etcdLeaseTTLSeconds > 0 else { throw ConfigurationError.invalid("EtcdLeaseTTLSeconds", "must be greater than 0") }
        config.divideProbesAmongNodes = try reader.bool("DivideProbesAmongNodes", default: false)
        if config.divideProbesAmongNodes, config.etcdEndpoints.isEmpty {
            throw ConfigurationError.invalid(
                "DivideProbesAmongNodes", "needs EtcdEndpoints: the nodes divide the clusters among those registered in etcd"
            )
        }
        config.httpAdvertise = try reader.string("HTTPAdvertise", default: "")
        if !config.httpAdvertise.isEmpty, URL(string: config.httpAdvertise)?.host == nil {
            throw ConfigurationError.invalid("HTTPAdvertise", "'\(config.httpAdvertise)' is not a URL such as http://10.0.0.1:3000")
        }
        config.instanceBulkOperationsWaitTimeoutSeconds = try reader.int("InstanceBulkOperationsWaitTimeoutSeconds", default: 10)
        config.recovery = recovery

        if recovery.failMasterPromotionIfSQLThreadNotUpToDate, recovery.delayMasterPromotionIfSQLThreadNotUpToDate {
            throw ConfigurationError.invalid(
                "DelayMasterPromotionIfSQLThreadNotUpToDate", "cannot be set together with FailMasterPromotionIfSQLThreadNotUpToDate"
            )
        }
        if policy.failMasterPromotionOnLagMinutes > 0, config.replicationLagQuery.isEmpty {
            throw ConfigurationError.invalid("FailMasterPromotionOnLagMinutes", "needs ReplicationLagQuery to be set")
        }
        guard recovery.maxConcurrentReplicaOperations > 0 else {
            throw ConfigurationError.invalid("MaxConcurrentReplicaOperations", "must be greater than 0")
        }
        guard config.instanceBulkOperationsWaitTimeoutSeconds > 0 else {
            throw ConfigurationError.invalid("InstanceBulkOperationsWaitTimeoutSeconds", "must be greater than 0")
        }
        for pattern in policy.promotionIgnoreHostnameFilters where (try? Regex(pattern)) == nil {
            throw ConfigurationError.invalid("PromotionIgnoreHostnameFilters", "'\(pattern)' is not a valid regular expression")
        }
    }
}
