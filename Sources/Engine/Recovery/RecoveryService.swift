import Foundation
import Logging
import ServiceLifecycle
import Store
import Synchronization
import Topology

/// What a recovery attempt came to.
package enum RecoveryResult: Sendable, Equatable {
    /// Not started: no recovery for this code, filters, global disable, or a hook veto before registration.
    case notAttempted(String)
    /// Another recovery still in its active period blocks this one (anti-flapping).
    case blocked(by: [Int64])
    /// A recovery of this failure is already recorded as active.
    case alreadyActive
    /// Ran (successfully or not): the resolved record.
    case recovered(TopologyRecovery)
}

/// Recovers dead masters and dead intermediate masters (`recovery.md` §2–8): registers the
/// recovery (one per failure, anti-flapping), plans it from fresh probes, and runs the plan,
/// recording each step before it runs. The new master is writable before any other replica is
/// touched; post-failover hooks run after, in the background.
package final class RecoveryService: Service, Sendable {
    let registry: InstanceRegistry
    let discovery: DiscoveryService
    let store: SQLiteStore
    let operations: ReplicationOperations
    let hooks: HookRunner
    /// Master discovery (etcd, ZooKeeper, the internal table); `nil`: not published.
    let kv: KVPublisher?
    /// Downtimes the instances a master recovery left behind; `nil`: not downtimed.
    let downtimes: DowntimeService?
    let configuration: RecoveryConfiguration
    let logger: Logger
    let metrics: EngineMetrics
    let clock: any EngineClock
    /// Only the leader recovers; each recovery is fenced by the term it started under.
    let leadership: any Leadership
    /// Recoveries shared with the other nodes through etcd; `nil`: a single node.
    let shared: EtcdSharedRecoveries?
    /// Downtime, promotion rules and the global switch, brought up to date before a decision.
    let controls: any OperatorControls
    /// Failed instances whose recovery is running here, and when automatic attempts last ran:
    /// analysis calls `consider` many times a second while a failure lasts.
    private let inFlight = Mutex<Set<InstanceKey>>([])
    private let lastAttempt = Mutex<[InstanceKey: Duration]>([:])
    /// Automatic recoveries, and what a recovery leaves running after it returns (post-failover
    /// hooks, KV publication, re-probes): run in this service's task group, drained at shutdown.
    private let work = WorkQueue()

    package init(
        registry: InstanceRegistry, discovery: DiscoveryService, store: SQLiteStore, operations: ReplicationOperations, hooks: HookRunner,
        kv: KVPublisher? = nil, downtimes: DowntimeService? = nil, configuration: RecoveryConfiguration, logger: Logger,
        metrics: EngineMetrics = .none, clock: any EngineClock, leadership: (any Leadership)? = nil,
        controls: (any OperatorControls)? = nil, shared: EtcdSharedRecoveries? = nil
    ) {
        self.shared = shared
        self.controls = controls ?? LocalControls(store: store)
        self.leadership = leadership ?? SingleNodeLeadership(ownRecord: LeaderRecord(node: configuration.nodeHostname, url: ""))
        self.metrics = metrics
        self.clock = clock
        self.kv = kv
        self.downtimes = downtimes
        self.registry = registry
        self.discovery = discovery
        self.store = store
        self.operations = operations
        self.hooks = hooks
        self.configuration = configuration
        self.logger = logger
    }

    package func run() async throws {
        await endInterruptedRecoveries()
        await withDiscardingTaskGroup { group in
            group.addTask { await self.work.run() }
            await expireLoop()
        }
    }

    /// Ends active periods (anti-flapping) every second, and expired candidates and
    /// maintenance locks every minute, until shutdown; a follower takes in the recoveries the
    /// leader ran every second too.
    private func expireLoop() async {
        // Candidates and maintenance locks expire in minutes: checked once a minute (of the
        // clock's time, so a test that advances it sees them expire), first on the first pass.
        var nextSlowExpiry = Date.distantPast
        while await clock.sleepUnlessShuttingDown(for: .seconds(1)) {
            let now = clock.now
            do {
                try await store.expireRecoveries(startedBefore: now.addingTimeInterval(-configuration.recoveryPeriodBlockSeconds), at: now)
                if now >= nextSlowExpiry {
                    try await store.expireCandidates(registeredBefore: now.addingTimeInterval(-configuration.candidateInstanceExpireMinutes * 60))
                    try await store.expireMaintenance(at: now)
                    nextSlowExpiry = now.addingTimeInterval(60)
                }
            } catch {
                logger.error("cannot expire recoveries", metadata: ["error": "\(error)"])
            }
            // A follower shows the recoveries the leader ran, and leads warm. When etcd cannot be
            // read it shows what it had: leadership and health say etcd is unreachable.
            if leadership.isDistributed, !leadership.state.isLeader { _ = await importSharedRecoveries(endedOnly: true) }
        }
    }

    /// A process killed mid-recovery left its record open: close it saying how far it got. It
    /// stays in its active period, so the same failure is not recovered twice.
    private func endInterruptedRecoveries() async {
        do {
            for recovery in try await store.endInterruptedRecoveries(exceptToken: configuration.nodeToken, at: clock.now) {
                logger.error("found an interrupted recovery", metadata: [
                    "recovery_id": "\(recovery.id)", "instance": "\(recovery.key)", "last_step": "\(recovery.lastStep)",
                ])
                await AuditLog(store: store, logger: logger).write(AuditEntry(
                    timestamp: clock.now, type: "recovery-interrupted", instanceKey: recovery.key,
                    message: "recovery \(recovery.id) of \(recovery.key) was interrupted; last step: \(recovery.lastStep.isEmpty ? "none" : recovery.lastStep)"
                ))
            }
        } catch {
            logger.error("cannot check for interrupted recoveries", metadata: ["error": "\(error)"])
        }
    }

    /// Called by the analysis for each actionable entry it sees; starts an automatic recovery
    /// in the background unless one of this instance runs or was tried within the last second.
    /// This call is the detection instant that `orchestrator_recovery_detection_to_writable_seconds`
    /// measures from.
    package func consider(_ entry: ReplicationAnalysis) {
        guard RecoveryFlow(entry.analysis) != nil, leadership.state.isLeader else { return }
        let key = entry.analyzedInstanceKey
        let detectedAt = ContinuousClock.now
        let now = clock.uptime
        let start = inFlight.withLock { running in
            guard !running.contains(key) else { return false }
            let recent = lastAttempt.withLock { attempts in
                if let last = attempts[key], now - last < .seconds(1) { return true }
                attempts[key] = now
                return false
            }
            return !recent
        }
        guard start else { return }
        inBackground { _ = await self.recover(entry, detectedAt: detectedAt) }
    }

    /// Runs the recovery `entry` calls for. `forced` (manual recover, forced failover) skips the
    /// cluster filters, global disable and anti-flapping, and acknowledges earlier completed
    /// recoveries of the instance; `candidate` names the replica to promote. `detectedAt`: when
    /// analysis handed the failure over (automatic recoveries only).
    package func recover(
        _ entry: ReplicationAnalysis, forced: Bool = false, skipProcesses: Bool = false, candidate: InstanceKey? = nil,
        detectedAt: ContinuousClock.Instant? = nil
    ) async -> RecoveryResult {
        guard let flow = RecoveryFlow(entry.analysis) else { return .notAttempted("no recovery for \(entry.analysis.rawValue)") }
        // The term this recovery runs under: the caller's (an operation forwarded to the
        // leader), else this node's own while it leads.
        let state = leadership.state
        guard let term = LeadershipScope.term ?? state.term else {
            return .notAttempted("this node does not lead: " + (state.problem ?? "\(state.leaderNode ?? "another node") does"))
        }
        let result = await LeadershipScope.$term.withValue(term) {
            await attempt(entry, flow: flow, forced: forced, skipProcesses: skipProcesses, candidate: candidate, detectedAt: detectedAt)
        }
        switch result {
        case .blocked: metrics.recovery(type: flow.metricsLabel, result: "blocked")
        case .recovered(let record): metrics.recovery(type: flow.metricsLabel, result: record.isSuccessful ? "success" : "failure")
        case .notAttempted, .alreadyActive: break
        }
        return result
    }

    private func attempt(
        _ entry: ReplicationAnalysis, flow: RecoveryFlow, forced: Bool, skipProcesses: Bool, candidate: InstanceKey?, detectedAt: ContinuousClock.Instant?
    ) async -> RecoveryResult {
        let key = entry.analyzedInstanceKey
        let claimed = inFlight.withLock { $0.insert(key).inserted }
        guard claimed else { return .alreadyActive }
        defer { _ = inFlight.withLock { $0.remove(key) } }
        // What other nodes recovered counts as if it had been recovered here.
        if let problem = await importSharedRecoveries() { return .notAttempted(problem) }
        // Downtime, promotion rules and the switch as the leader that set them left them.
        do { try await controls.refresh() } catch { return .notAttempted("cannot read the controls the nodes share: \(error)") }

        if !forced {
            // The gates the preview shows, decided by the same function; anti-flapping is
            // decided by it too, inside the store's registration below.
            let disabled: Bool
            do {
                disabled = try await store.areGlobalRecoveriesDisabled()
            } catch {
                return .notAttempted("cannot check global recoveries: \(error)")
            }
            let blockers = RecoveryGate.blockers(RecoveryGate.Facts(
                failed: key, clusterName: entry.clusterDetails.clusterName, clusterAlias: entry.clusterDetails.clusterAlias, isMaster: flow == .master,
                hasAutomatedRecovery: flow == .master ? entry.clusterDetails.hasAutomatedMasterRecovery : entry.clusterDetails.hasAutomatedIntermediateMasterRecovery,
                globallyDisabled: disabled, isDowntimed: entry.skippableDueToDowntime, activeRecoveries: []
            ))
            if !blockers.isEmpty { return .notAttempted(blockers.joined(separator: "; ")) }
        }
        let record = TopologyRecovery(
            uid: RecoveryJournal.newUID(now: clock.now), key: key, analysis: entry.analysis.rawValue, clusterName: entry.clusterDetails.clusterName,
            clusterAlias: entry.clusterDetails.clusterAlias, replicas: entry.replicas, type: flow.recoveryTypeName,
            recoveryType: flow == .master ? (entry.mariaDBGTIDImmediateTopology || entry.oracleGTIDImmediateTopology ? "MasterRecoveryGTID" : "MasterRecoveryPseudoGTID") : "NotMasterRecovery",
            commandHint: entry.commandHint, startActivePeriod: clock.now,
            processingNodeHostname: configuration.nodeHostname, processingNodeToken: configuration.nodeToken
        )
        let registration: RecoveryRegistration
        do {
            registration = try await store.registerRecovery(record, blockOnRecentSuccessor: !forced, blockOnActiveCluster: !forced, forced: forced)
        } catch {
            logger.error("cannot register recovery", metadata: [
                "instance": "\(key)", "cluster": "\(entry.clusterDetails.clusterName)", "analysis": "\(entry.analysis.rawValue)", "error": "\(error)",
            ])
            return .notAttempted("cannot register the recovery: \(error)")
        }
        switch registration {
        case .alreadyActive:
            return .alreadyActive
        case .blocked(let blockers):
            logger.warning("recovery blocked by an earlier recovery still in its active period", metadata: [
                "instance": "\(key)", "cluster": "\(entry.clusterDetails.clusterName)", "analysis": "\(entry.analysis.rawValue)",
                "blocking_recovery_ids": "\(blockers)",
            ])
            return .blocked(by: blockers)
        case .registered(let registered):
            let journal = RecoveryJournal(uid: registered.uid, entry: entry, detectedAt: detectedAt, clock: clock, store: store, events: registry.events, logger: logger)
            guard await share(registered, journal: journal) else {
                return .recovered(await resolve(registered, entry: entry, journal: journal, skipProcesses: true, successHooks: ("", [])))
            }
            var entry = entry
            entry.isActionableRecovery = true
            let resolved: TopologyRecovery
            switch flow {
            case .master:
                // A dead co-master is replaced by its partner, which may be taking writes already
                // (orchestrator's CoMasterRecoveryMustPromoteOtherCoMaster, on by default).
                let designated = candidate ?? (entry.analysis.isCoMasterFailure ? entry.analyzedInstanceMasterKey : nil)
                resolved = await recoverDeadMaster(entry, record: registered, journal: journal, skipProcesses: skipProcesses, candidate: designated)
            case .intermediateMaster:
                resolved = await recoverDeadIntermediateMaster(entry, record: registered, journal: journal, skipProcesses: skipProcesses)
            }
            return .recovered(resolved)
        }
    }

    /// Runs `job` in this service's task group, after the caller returns.
    func inBackground(_ job: @escaping @Sendable () async -> Void) {
        guard work.enqueue(job) else {
            // Only once shutdown has drained everything: nothing of a recovery is left to run.
            logger.warning("shutting down: background recovery work not started")
            return
        }
    }

    /// Waits until no recovery, post hook, KV publication or re-probe started in the background
    /// is left, including work started meanwhile; for tests.
    package func waitForBackgroundWork() async {
        await work.waitUntilIdle()
    }
}

/// Which recovery an analysis code calls for.
enum RecoveryFlow: Equatable {
    case master, intermediateMaster

    init?(_ code: AnalysisCode) {
        switch code {
        // A dead co-master is a dead master whose replicas include the other co-master: the
        // same plan promotes the best of them (usually that co-master) and rewires the rest.
        case .deadMaster, .deadMasterAndSomeReplicas, .deadCoMaster, .deadCoMasterAndSomeReplicas: self = .master
        case .deadIntermediateMaster, .deadIntermediateMasterAndSomeReplicas, .deadIntermediateMasterWithSingleReplicaFailingToConnect,
             .allIntermediateMasterReplicasFailingToConnectOrDead:
            self = .intermediateMaster
        default: return nil
        }
    }

    var recoveryTypeName: String { self == .master ? "MasterRecovery" : "IntermediateMasterRecovery" }

    /// The `type` label of `orchestrator_recovery_recoveries_total`.
    var metricsLabel: String { self == .master ? "master" : "intermediate_master" }
}

extension AnalysisCode {
    /// A dead co-master: its partner replicates from it and is the one to promote.
    var isCoMasterFailure: Bool { self == .deadCoMaster || self == .deadCoMasterAndSomeReplicas }
}
