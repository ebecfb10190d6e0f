import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Store
import Topology

/// The one place the engine's long-running services are built and wired together. The daemon
/// runs `services` in its `ServiceGroup` beside the HTTP server; the tests run the same list.
package struct OrchestratorEngine: Sendable {
    package let configuration: EngineConfiguration
    package let store: SQLiteStore
    package let registry: InstanceRegistry
    package let discovery: DiscoveryService
    package let analysis: AnalysisService
    package let recovery: RecoveryService
    package let operations: ReplicationOperations
    package let hooks: HookRunner
    package let kv: KVPublisher
    package let kvSubmitter: KVMasterSubmitter
    package let refactorer: TopologyRefactorer
    package let downtimes: DowntimeService
    package let fence: DeposedMasterFence
    package let unresolves: HostnameUnresolves
    package let metrics: EngineMetrics
    /// Who leads: an etcd lease among several nodes, or this node alone.
    package let leadership: any Leadership
    private let etcdLeadership: EtcdLeadership?
    /// Downtime, maintenance, promotion rules, the global recovery switch: this node's, or
    /// shared through etcd.
    package let controls: any OperatorControls
    private let etcdControls: EtcdControls?
    /// `DivideProbesAmongNodes`: the node list and the peers' long polls; `nil` when off.
    package let probeShare: ProbeShareService?
    /// What this node publishes on `probe-share`; `nil` when probes are not divided.
    package var probeFeed: ProbeFeed? { discovery.feed }

    /// - Parameter metricsFactory: where the engine's metrics go; the daemon passes its
    ///   Prometheus factory, tests their own registry's (none: recorded nowhere).
    package init(
        configuration: EngineConfiguration, store: SQLiteStore, logLevel: Logger.Level,
        metricsFactory: any MetricsFactory = NOOPMetricsHandler.instance
    ) {
        func logger(_ area: String) -> Logger {
            var logger = Logger(label: "orchestrator.\(area)")
            logger.logLevel = logLevel
            return logger
        }
        self.configuration = configuration
        self.store = store
        let metrics = EngineMetrics(factory: metricsFactory)
        self.metrics = metrics
        let discoveryConfiguration = configuration.discovery
        let discoveryLogger = logger("discovery")
        unresolves = HostnameUnresolves()
        let probe = InstanceProbe(
            configuration: discoveryConfiguration,
            connections: ConnectionCache(credentials: discoveryConfiguration.credentials, options: discoveryConfiguration.connectionOptions),
            unresolves: unresolves, logger: discoveryLogger, metrics: metrics
        )
        registry = InstanceRegistry(
            clusterNameToAlias: discoveryConfiguration.clusterNameToAlias,
            reasonableReplicationLagSeconds: configuration.reasonableReplicationLagSeconds
        )
        let etcd = configuration.leadership.map {
            EtcdLeadership(configuration: $0, store: store, logger: logger("leadership"), metrics: metrics)
        }
        etcdLeadership = etcd
        leadership = etcd ?? SingleNodeLeadership(ownRecord: LeaderRecord(node: configuration.recovery.nodeHostname, url: ""))
        // Probes are divided only among nodes that know each other through etcd.
        let sharing = etcd.flatMap { etcd in configuration.probeSharing.map { (etcd, $0, ProbeAssignment(ownNode: etcd.ownRecord.node)) } }
        let registry = self.registry
        let recoveryLogger = logger("recovery")
        var operations = ReplicationOperations(
            credentials: discoveryConfiguration.credentials, options: discoveryConfiguration.connectionOptions,
            waitTimeoutSeconds: configuration.operationsWaitTimeoutSeconds, store: store, unresolves: unresolves, logger: recoveryLogger
        )
        operations.leadership = leadership
        operations.metrics = metrics
        self.operations = operations
        let reconnectWindow = Double(discoveryConfiguration.replicaReconnectTestMilliseconds) / 1000
        let reconnectTester = reconnectWindow > 0
            ? ReplicaReconnectTester(
                operations: operations, registry: registry, store: store, leadership: leadership, window: reconnectWindow, logger: discoveryLogger
            )
            : nil
        let discovery = DiscoveryService(
            registry: registry, probe: probe, store: store, seeds: configuration.seeds, watchMasters: configuration.watchMasters, logger: discoveryLogger,
            assignment: sharing?.2, feed: sharing == nil ? nil : ProbeFeed(), reconnectTester: reconnectTester
        )
        self.discovery = discovery
        probeShare = sharing.map { etcd, sharingConfiguration, assignment in
            ProbeShareService(
                leadership: etcd, assignment: assignment, discovery: discovery, configuration: sharingConfiguration,
                logger: logger("probe-share"), metrics: metrics
            )
        }
        hooks = HookRunner(shellCommand: configuration.hooksShellCommand, timeout: configuration.hooksTimeout, logger: logger("hooks"))
        if let etcd {
            let shared = etcd.sharedControls(
                store: store, registry: registry, candidateLifetime: configuration.recovery.candidateInstanceExpireMinutes * 60,
                interval: .seconds(1), clock: configuration.clock, logger: logger("controls")
            )
            etcdControls = shared
            controls = shared
        } else {
            etcdControls = nil
            controls = LocalControls(store: store)
        }
        kv = KVPublisher(
            stores: configuration.kvStores, store: store, prefix: configuration.kvPrefix, retryDelays: configuration.kvRetryDelays, logger: recoveryLogger
        )
        kvSubmitter = KVMasterSubmitter(kv: kv, registry: registry, startupDelay: configuration.kvSubmitStartupDelay, logger: recoveryLogger,
                                         leadership: leadership)
        downtimes = DowntimeService(
            registry: registry, store: store, controls: controls, interval: .milliseconds(Int64(max(0.1, discoveryConfiguration.pollSeconds) * 1000)), logger: logger("downtime"),
            clock: configuration.clock
        )
        recovery = RecoveryService(
            registry: registry, discovery: discovery, store: store, operations: operations,
            hooks: hooks, kv: kv, downtimes: downtimes, configuration: configuration.recovery, logger: recoveryLogger,
            metrics: metrics, clock: configuration.clock, leadership: leadership, controls: controls,
            shared: etcdLeadership?.sharedRecoveries(activePeriodSeconds: Int(configuration.recovery.recoveryPeriodBlockSeconds.rounded(.up)))
        )
        fence = DeposedMasterFence(
            registry: registry, discovery: discovery, store: store, operations: operations, configuration: configuration.recovery, logger: recoveryLogger,
            clock: configuration.clock, leadership: leadership
        )
        refactorer = TopologyRefactorer(
            registry: registry, discovery: discovery, store: store, controls: controls, operations: operations,
            hooks: hooks, configuration: configuration.refactoring, logger: logger("refactoring"), clock: configuration.clock
        )
        analysis = AnalysisService(
            registry: registry, store: store, hooks: hooks, recovery: configuration.automatedRecovery ? recovery : nil,
            configuration: configuration.detection, logger: logger("analysis"), metrics: metrics, clock: configuration.clock, leadership: leadership
        )
    }

    /// The services to run, in start order. A group stops them in reverse order, so the hook
    /// runner and the KV publisher, which run background work for the others, stop last.
    package var services: [any Service] {
        (etcdLeadership.map { [$0] } ?? []) + (etcdControls.map { [$0] } ?? []) + (probeShare.map { [$0] } ?? [])
            + [hooks, kv, discovery, downtimes, analysis, recovery, fence, kvSubmitter]
    }
}
