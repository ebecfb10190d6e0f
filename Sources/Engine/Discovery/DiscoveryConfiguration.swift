import MySQLClient

/// What discovery and polling need from the configuration file.
package struct DiscoveryConfiguration: Sendable {
    package var credentials: MySQLCredentials
    package var connectTimeoutSeconds: Int
    package var readTimeoutSeconds: Int
    /// orchestrator's `InstancePollSeconds` (default 1 here; orchestrator's is 5).
    package var pollSeconds: Double
    package var detectDataCenterQuery: String
    package var detectRegionQuery: String
    package var detectPhysicalEnvironmentQuery: String
    package var detectClusterAliasQuery: String
    package var detectInstanceAliasQuery: String
    package var replicationLagQuery: String
    /// `DetectPromotionRuleQuery`: one of `must`, `prefer`, `neutral`, `prefer_not`, `must_not`.
    package var detectPromotionRuleQuery: String
    /// orchestrator's `DiscoverByShowSlaveHosts`; we always try `SHOW SLAVE HOSTS` first when true
    /// and fall back to the processlist when it names nobody.
    package var discoverByShowSlaveHosts: Bool
    /// Cluster name regex → alias (`ClusterNameToAlias`).
    package var clusterNameToAlias: [String: String]
    /// Local address probes connect from; `nil` lets the kernel choose.
    package var bindAddress: String?
    /// TLS to every topology server (`MySQLTopologyUseMutualTLS`); `nil`: plain connections.
    package var tls: MySQLTLSOptions?
    /// `MasterPingMilliseconds` (ours): how often the idle connection to each master is pinged,
    /// and how long a ping may go unanswered before its replicas are asked whether they still
    /// hear from it. 0 turns the ping off (a hung master is then noticed by polling).
    package var masterPingMilliseconds: Int64 = 250
    /// `ReplicaReconnectTestMilliseconds` (ours, 0: off): when a master leaves a ping unanswered,
    /// the leader restarts the IO threads of its asynchronous replicas and gives them this long
    /// to reconnect; a master none of them can reach again is dead without waiting for a missed
    /// heartbeat (`ReconnectTest`).
    package var replicaReconnectTestMilliseconds: Int64 = 0

    package init(
        credentials: MySQLCredentials,
        connectTimeoutSeconds: Int = 2,
        readTimeoutSeconds: Int = 1,
        pollSeconds: Double = 1,
        detectDataCenterQuery: String = "",
        detectRegionQuery: String = "",
        detectPhysicalEnvironmentQuery: String = "",
        detectClusterAliasQuery: String = "",
        detectInstanceAliasQuery: String = "",
        replicationLagQuery: String = "",
        detectPromotionRuleQuery: String = "",
        discoverByShowSlaveHosts: Bool = true,
        clusterNameToAlias: [String: String] = [:]
    ) {
        self.credentials = credentials
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.readTimeoutSeconds = readTimeoutSeconds
        self.pollSeconds = pollSeconds
        self.detectDataCenterQuery = detectDataCenterQuery
        self.detectRegionQuery = detectRegionQuery
        self.detectPhysicalEnvironmentQuery = detectPhysicalEnvironmentQuery
        self.detectClusterAliasQuery = detectClusterAliasQuery
        self.detectInstanceAliasQuery = detectInstanceAliasQuery
        self.replicationLagQuery = replicationLagQuery
        self.detectPromotionRuleQuery = detectPromotionRuleQuery
        self.discoverByShowSlaveHosts = discoverByShowSlaveHosts
        self.clusterNameToAlias = clusterNameToAlias
    }

    package var connectionOptions: MySQLConnectionOptions {
        var options = MySQLConnectionOptions()
        options.connectTimeoutSeconds = connectTimeoutSeconds
        options.readTimeoutSeconds = readTimeoutSeconds
        options.writeTimeoutSeconds = readTimeoutSeconds
        options.bindAddress = bindAddress
        options.tls = tls
        return options
    }
}
