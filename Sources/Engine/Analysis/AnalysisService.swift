import Foundation
import Logging
import ServiceLifecycle
import Store
import Synchronization
import Topology

/// Runs the analyzer on a cluster the moment a probe changes a fact it reads, and records each
/// problem that has a detection (`analysis.md` §11, §13): once per
/// `FailureDetectionPeriodBlockMinutes`, with `OnFailureDetectionProcesses` run for new ones.
/// Actionable problems go to the recovery service.
/// A one-second sweep re-analyses everything for the facts that change with time alone
/// (downtime ending, coordinates going stale) and ends expired detection periods.
package final class AnalysisService: Service, Sendable {
    private let registry: InstanceRegistry
    private let store: SQLiteStore
    private let hooks: HookRunner
    private let recovery: RecoveryService?
    private let configuration: DetectionConfiguration
    private let logger: Logger
    private let metrics: EngineMetrics
    private let clock: any EngineClock
    /// Detection hooks run on the leader only (every node detects and records).
    private let leadership: (any Leadership)?
    /// Active detections by instance and actionability → when their period started; spares the
    /// store an insert attempt on every analysis of a failing cluster.
    private let active = Mutex<[DetectionSlot: Date]>([:])
    private let startedAt = Mutex<Duration?>(nil)
    /// Binlog coordinates of semi-sync masters suspected locked, with when they were first seen
    /// unchanged (`analysis.md` §9). Dropped as soon as the suspicion ends, so a record never
    /// outlives the episode and never expires before it matures.
    private let staleCoordinates = Mutex<[InstanceKey: (clusterName: String, stale: StaleBinlogCoordinates)]>([:])
    /// The problems last announced per cluster, so `.analysis` events go out on change only.
    private let announcedCodes = Mutex<[String: [String]]>([:])
    /// `OnFailureDetectionProcesses` runs: children of this service's task group, so a slow hook
    /// never delays the analysis and shutdown waits for it.
    private let hookRuns = WorkQueue()

    private struct DetectionSlot: Hashable {
        var key: InstanceKey
        var isActionable: Bool
    }

    package init(
        registry: InstanceRegistry, store: SQLiteStore, hooks: HookRunner, recovery: RecoveryService? = nil, configuration: DetectionConfiguration, logger: Logger,
        metrics: EngineMetrics = .none, clock: any EngineClock, leadership: (any Leadership)? = nil
    ) {
        self.metrics = metrics
        self.clock = clock
        self.leadership = leadership
        self.registry = registry
        self.store = store
        self.hooks = hooks
        self.recovery = recovery
        self.configuration = configuration
        self.logger = logger
    }

    package func run() async throws {
        startedAt.withLock { $0 = clock.uptime }
        await withDiscardingTaskGroup { group in
            // Drains at shutdown, after the loops below stop detecting.
            group.addTask { await self.hookRuns.run() }
            await withDiscardingTaskGroup { loops in
                loops.addTask { await self.sweepLoop() }
                for await cluster in registry.analysisTriggers.cancelOnGracefulShutdown() {
                    await analyze(cluster: cluster)
                }
                loops.cancelAll()
            }
        }
    }

    /// The current analysis of every cluster (or one), as `/api/replication-analysis` shows it.
    package func currentAnalysis(clusterName: String? = nil, hints: AnalysisHints = .api) async -> [ReplicationAnalysis] {
        await analysis(clusterName: clusterName, hints: hints).entries
    }

    /// The analysis, and which instances were under an urgent check when its facts were read.
    private func analysis(clusterName: String?, hints: AnalysisHints = .api) async -> (entries: [ReplicationAnalysis], settling: Set<InstanceKey>) {
        let (instances, settling) = await registry.instancesAndUrgentChecks(inCluster: clusterName)
        var aliases: [String: String] = [:]
        if let clusterName {
            aliases[clusterName] = await registry.alias(ofCluster: clusterName)
        } else {
            aliases = await registry.clusterAliases()
        }
        let now = clock.now
        let snapshot = AnalysisSnapshot(
            instances: instances, now: now, downtimes: await registry.activeDowntimes(at: now),
            staleBinlogCoordinates: staleCoordinates.withLock { $0.mapValues(\.stale) }, clusterAliases: aliases
        )
        return (Analyzer.analyze(snapshot, configuration: configuration.analysis, hints: hints, clusterName: clusterName), settling)
    }

    private func analyze(cluster: String) async {
        let (entries, settling) = await analysis(clusterName: cluster)
        await detect(entries, clusterName: cluster, settling: settling)
    }

    /// Every second; and at once when this node becomes the leader, so a failure the
    /// previous leader left unrecovered goes to recovery without waiting for the next sweep.
    private func sweepLoop() async {
        let isDistributed = leadership?.isDistributed ?? false
        var wasLeader = leadership?.state.isLeader ?? true
        var due = clock.uptime + .seconds(1)
        while !Task.isCancelled {
            do { try await clock.sleep(for: isDistributed ? .milliseconds(50) : .seconds(1)) } catch { return }
            let isLeader = leadership?.state.isLeader ?? true
            defer { wasLeader = isLeader }
            guard clock.uptime >= due || (isLeader && !wasLeader) else { continue }
            due = clock.uptime + .seconds(1)
            await expireDetections()
            let (entries, settling) = await analysis(clusterName: nil)
            metrics.analysisEntries(entries)
            await detect(entries, settling: settling)
        }
    }

    private func expireDetections() async {
        let now = clock.now
        let cutoff = now.addingTimeInterval(-configuration.failureDetectionPeriodBlockMinutes * 60)
        active.withLock { slots in slots = slots.filter { $0.value >= cutoff } }
        do {
            try await store.expireFailureDetections(startedBefore: cutoff, at: now)
        } catch {
            logger.error("cannot expire failure detections", metadata: ["error": "\(error)"])
        }
    }

    /// Publishes the problems of each cluster whose problems changed (`clusterName` nil: the
    /// entries cover every cluster, and one without entries has none left).
    private func announce(_ entries: [ReplicationAnalysis], clusterName: String?) {
        var codes: [String: [String]] = [:]
        if let clusterName { codes[clusterName] = [] }
        for entry in entries {
            let problems = (entry.analysis == .noProblem ? [] : [entry.analysis.rawValue]) + entry.structureAnalysis.map(\.rawValue)
            codes[entry.clusterDetails.clusterName, default: []] += problems.map { "\(entry.analyzedInstanceKey) \($0)" }
        }
        let changed: [(String, [String])] = announcedCodes.withLock { announced in
            if clusterName == nil {
                for cluster in announced.keys where codes[cluster] == nil { codes[cluster] = [] }
            }
            var changed: [(String, [String])] = []
            for (cluster, list) in codes where announced[cluster, default: []] != list.sorted() {
                announced[cluster] = list.sorted()
                changed.append((cluster, list.sorted()))
            }
            return changed
        }
        for (cluster, list) in changed { registry.events.publish(.analysis(cluster: cluster, codes: list)) }
    }

    private var isInGracePeriod: Bool {
        guard let started = startedAt.withLock({ $0 }) else { return true }
        return clock.uptime - started < configuration.startupGracePeriod
    }

    /// Tracks how long a suspected locked semi-sync master has kept the same coordinates.
    /// `clusterName` is the cluster the entries cover (`nil`: all of them).
    private func trackStaleCoordinates(_ entries: [ReplicationAnalysis], clusterName: String?) {
        let now = clock.now
        let suspected = entries.filter { $0.analysis == .lockedSemiSyncMasterHypothesis || $0.analysis == .lockedSemiSyncMaster }
        staleCoordinates.withLock { records in
            records = records.filter { key, record in
                // Kept while still suspected, or while its cluster was not part of this analysis.
                suspected.contains { $0.analyzedInstanceKey == key } || (clusterName != nil && record.clusterName != clusterName)
            }
            for entry in suspected where records[entry.analyzedInstanceKey]?.stale.coordinates != entry.analyzedInstanceBinlogCoordinates {
                records[entry.analyzedInstanceKey] = (
                    entry.clusterDetails.clusterName, StaleBinlogCoordinates(coordinates: entry.analyzedInstanceBinlogCoordinates, firstSeen: now)
                )
            }
        }
    }

    /// Records the entries that warrant a detection; automatic detection skips downtimed ones.
    /// `settling`: the instances under an urgent check when the entries' facts were read.
    private func detect(_ entries: [ReplicationAnalysis], clusterName: String? = nil, settling: Set<InstanceKey>) async {
        trackStaleCoordinates(entries, clusterName: clusterName)
        announce(entries, clusterName: clusterName)
        guard !isInGracePeriod else { return }
        // While a master and its replicas are being re-checked, an "unreachable" verdict is
        // about to become "dead" or to clear: recording it would run detection hooks for a
        // transient state. Codes with a recovery are recorded at once.
        for var entry in entries where !entry.skippableDueToDowntime {
            let dispatch = entry.analysis.dispatch
            guard dispatch != .ignored else { continue }
            if dispatch == .detectionOnly, settling.contains(entry.analyzedInstanceKey) { continue }
            entry.isActionableRecovery = dispatch == .actionable
            let slot = DetectionSlot(key: entry.analyzedInstanceKey, isActionable: entry.isActionableRecovery)
            let now = clock.now
            let isNew = active.withLock { slots in
                guard slots[slot] == nil else { return false }
                slots[slot] = now
                return true
            }
            if isNew { await register(entry, at: now, slot: slot) }
            // Recovery registers after the detection, so its record points at it.
            if entry.isActionableRecovery { recovery?.consider(entry) }
        }
    }

    private func register(_ entry: ReplicationAnalysis, at now: Date, slot: DetectionSlot) async {
        let detection = FailureDetection(
            key: entry.analyzedInstanceKey, analysis: entry.analysis.rawValue, clusterName: entry.clusterDetails.clusterName,
            clusterAlias: entry.clusterDetails.clusterAlias, countReplicas: entry.countReplicas,
            countValidReplicas: entry.countValidReplicas, countValidReplicatingReplicas: entry.countValidReplicatingReplicas,
            countReplicasFailingToConnect: entry.countReplicasFailingToConnectToMaster, replicas: entry.replicas,
            isActionable: entry.isActionableRecovery, startActivePeriod: now,
            processingNodeHostname: configuration.nodeHostname, processingNodeToken: configuration.nodeToken
        )
        let id: Int64?
        do {
            id = try await store.registerFailureDetection(detection)
        } catch {
            // Not recorded: forget the slot so the next analysis tries again.
            _ = active.withLock { $0.removeValue(forKey: slot) }
            logger.error("cannot record failure detection", metadata: ["instance": "\(entry.analyzedInstanceKey)", "error": "\(error)"])
            return
        }
        guard let id else { return }
        metrics.detection(entry.analysis)
        logger.warning("failure detected: \(entry.analysis.rawValue)", metadata: [
            "instance": "\(entry.analyzedInstanceKey)", "cluster": "\(entry.clusterDetails.clusterName)", "analysis": "\(entry.analysis.rawValue)",
            "detection_id": "\(id)", "replicas": "\(entry.countReplicas)", "valid_replicas": "\(entry.countValidReplicas)",
            "replicating_replicas": "\(entry.countValidReplicatingReplicas)",
        ])
        await AuditLog(store: store, logger: logger).write(AuditEntry(
            timestamp: now, type: "failure-detection", instanceKey: entry.analyzedInstanceKey,
            message: "\(entry.analysis.rawValue) detected on \(entry.analyzedInstanceKey) (cluster \(entry.clusterDetails.clusterName)): \(entry.description)"
        ))
        runDetectionHooks(entry, detectionID: id)
    }

    /// Hooks run in a child task of their own so a slow hook never delays the analysis of other clusters.
    private func runDetectionHooks(_ entry: ReplicationAnalysis, detectionID: Int64) {
        guard !configuration.onFailureDetectionProcesses.isEmpty, leadership?.state.isLeader ?? true else { return }
        let context = HookContext.failure(entry, orchestratorHost: configuration.nodeHostname, recoveryUID: "detection-\(detectionID)")
        let hooks = hooks, commands = configuration.onFailureDetectionProcesses
        let queued = hookRuns.enqueue {
            _ = await hooks.run("OnFailureDetectionProcesses", commands: commands, context: context, failFast: true)
        }
        if !queued { logger.warning("shutting down: OnFailureDetectionProcesses not run", metadata: ["instance": "\(entry.analyzedInstanceKey)"]) }
    }
}
