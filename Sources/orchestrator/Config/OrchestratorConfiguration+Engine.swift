import Engine
import Foundation
import HTTPAPI
import MySQLClient
import Topology

extension OrchestratorConfiguration {
    /// The engine's part of the file, for this node (`hostname`, `token` name it in records).
    func engineConfiguration(hostname: String, token: String) throws -> EngineConfiguration {
        var discovery = DiscoveryConfiguration(
            credentials: MySQLCredentials(user: mySQLTopologyUser, password: mySQLTopologyPassword),
            connectTimeoutSeconds: mySQLConnectTimeoutSeconds,
            readTimeoutSeconds: mySQLDiscoveryReadTimeoutSeconds,
            pollSeconds: instancePollSeconds,
            detectDataCenterQuery: detectDataCenterQuery,
            detectRegionQuery: detectRegionQuery,
            detectPhysicalEnvironmentQuery: detectPhysicalEnvironmentQuery,
            detectClusterAliasQuery: detectClusterAliasQuery,
            detectInstanceAliasQuery: detectInstanceAliasQuery,
            replicationLagQuery: replicationLagQuery,
            detectPromotionRuleQuery: detectPromotionRuleQuery,
            discoverByShowSlaveHosts: discoverByShowSlaveHosts,
            clusterNameToAlias: clusterNameToAlias
        )
        discovery.tls = mySQLTopologyTLS
        discovery.masterPingMilliseconds = Int64(masterPingMilliseconds)
        discovery.replicaReconnectTestMilliseconds = Int64(replicaReconnectTestMilliseconds)
        var recovery = self.recovery
        recovery.nodeHostname = hostname
        recovery.nodeToken = token
        let pollGrace = Duration.milliseconds(Int64(3 * instancePollSeconds * 1000))
        let detection = DetectionConfiguration(
            analysis: analysisConfiguration,
            failureDetectionPeriodBlockMinutes: failureDetectionPeriodBlockMinutes,
            onFailureDetectionProcesses: onFailureDetectionProcesses,
            startupGracePeriod: pollGrace,
            nodeHostname: hostname, nodeToken: token
        )
        var engine = EngineConfiguration(discovery: discovery, detection: detection, recovery: recovery)
        engine.seeds = try discoverySeeds.map { seed in
            do throws(InstanceKeyError) {
                return try InstanceKey(parsing: seed, defaultPort: defaultInstancePort)
            } catch {
                throw ConfigurationError.invalid("DiscoverySeeds", error.description)
            }
        }
        engine.reasonableReplicationLagSeconds = Int64(reasonableReplicationLagSeconds)
        engine.hooksShellCommand = processesShellCommand
        engine.hooksTimeout = .milliseconds(Int64(processesTimeoutSeconds * 1000))
        if !etcdEndpoints.isEmpty { engine.kvStores.append(EtcdKVStore(endpoints: etcdEndpoints)) }
        if !zkAddress.isEmpty { engine.kvStores.append(ZooKeeperKVStore(address: zkAddress)) }
        engine.kvPrefix = kvClusterMasterPrefix
        engine.kvSubmitStartupDelay = pollGrace
        engine.operationsWaitTimeoutSeconds = instanceBulkOperationsWaitTimeoutSeconds
        engine.refactoring.policy = RefactoringPolicy(
            reasonableMaintenanceReplicationLagSeconds: Int64(reasonableMaintenanceReplicationLagSeconds),
            verifyReplicationFilters: recovery.policy.verifyReplicationFilters,
            instancePollSeconds: instancePollSeconds,
            promotionIgnoreHostnameFilters: recovery.policy.promotionIgnoreHostnameFilters
        )
        engine.refactoring.maxConcurrentReplicaOperations = recovery.maxConcurrentReplicaOperations
        engine.refactoring.nodeHostname = hostname
        engine.refactoring.replicationCredentialsQuery = recovery.replicationCredentialsQuery
        engine.refactoring.postTakeMasterProcesses = postTakeMasterProcesses
        if !etcdEndpoints.isEmpty {
            var leadership = LeadershipConfiguration(endpoints: etcdEndpoints, record: try advertisedRecord(hostname: hostname))
            leadership.leaseTTLSeconds = etcdLeaseTTLSeconds
            engine.leadership = leadership
            if divideProbesAmongNodes { engine.probeSharing = try probeSharingConfiguration() }
        }
        return engine
    }
}

extension OrchestratorConfiguration {
    /// Each node reads the others' `probe-share` under the same `URLPrefix`, presenting what
    /// their (identical) API authentication asks for, over HTTPS as they serve it.
    func probeSharingConfiguration() throws -> ProbeSharingConfiguration {
        var sharing = ProbeSharingConfiguration()
        sharing.httpClient = try PeerHTTPClients.client(for: https)
        sharing.path = urlPrefix + "/api/probe-share"
        switch access.method {
        case .basic, .multi:
            let credentials = Data("\(access.user):\(access.password)".utf8).base64EncodedString()
            sharing.headers = [("Authorization", "Basic \(credentials)")]
        case .proxy:
            sharing.headers = [(access.userHeader, "orchestrator-peer")]
        case .open, .token, .oauth:
            break
        }
        return sharing
    }
}
