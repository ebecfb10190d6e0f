import Foundation
import Logging
import ServiceLifecycle
import Store
import Synchronization
import Topology

/// Discovers topologies by crawling from seeds and keeps every known instance polled, each in
/// its own task, so one slow or hanging server never delays the others.
package final class DiscoveryService: Service, Sendable {
    package let registry: InstanceRegistry
    package let probe: InstanceProbe
    /// Virtual names of hosts (`register-hostname-unresolve`), shared with the operations.
    package var unresolves: HostnameUnresolves { probe.unresolves }
    private let store: SQLiteStore
    private let pollInterval: Duration
    let logger: Logger
    private let newKeys: AsyncStream<InstanceKey>
    private let newKeysContinuation: AsyncStream<InstanceKey>.Continuation
    /// Keys that have a poll loop, or a crawl attempt in flight.
    private let active = Mutex<Set<InstanceKey>>([])

    /// Idle connections to masters that tell at once when the server goes away.
    package let livenessWatch: LivenessWatch?

    private let seeds: [InstanceKey]
    /// With `DivideProbesAmongNodes`: which clusters this node polls (`nil`: every one), and
    /// where its own probe results are published for the other nodes.
    let assignment: ProbeAssignment?
    let feed: ProbeFeed?
    /// `async-discover` requests (see `discoverInBackground`), run in this service's task group.
    let requestedDiscoveries = WorkQueue()
    /// `ReplicaReconnectTestMilliseconds`: restarts the replicas' IO threads of a master that
    /// leaves a ping unanswered (`nil`: off, the heartbeats alone prove a hung master silent).
    let reconnectTester: ReplicaReconnectTester?

    /// How long an urgent check waits for the replicas of an unreachable master to agree.
    var urgentCheckWindow: Duration { max(.seconds(2), pollInterval * 2) }

    /// - Parameter watchMasters: keep an idle connection to every server that has replicas and
    ///   check it and its replicas the moment that connection drops.
    /// - Parameters assignment, feed: with `DivideProbesAmongNodes`, poll only the clusters this
    ///   node owns, and publish every result of its own probes.
    package init(
        registry: InstanceRegistry, probe: InstanceProbe, store: SQLiteStore, seeds: [InstanceKey] = [], watchMasters: Bool = true, logger: Logger,
        assignment: ProbeAssignment? = nil, feed: ProbeFeed? = nil, reconnectTester: ReplicaReconnectTester? = nil
    ) {
        self.reconnectTester = reconnectTester
        self.assignment = assignment
        self.feed = feed
        self.registry = registry
        self.seeds = seeds
        self.probe = probe
        self.store = store
        self.pollInterval = .milliseconds(Int64(probe.configuration.pollSeconds * 1000))
        self.logger = logger
        (newKeys, newKeysContinuation) = AsyncStream.makeStream(of: InstanceKey.self)
        if watchMasters {
            let pulse = probe.configuration.masterPingMilliseconds
            livenessWatch = LivenessWatch(
                credentials: probe.configuration.credentials, options: probe.configuration.connectionOptions,
                retryInterval: .milliseconds(Int64(probe.configuration.pollSeconds * 1000)),
                pulse: pulse > 0 ? .milliseconds(pulse) : nil
            )
        } else {
            livenessWatch = nil
        }
    }

    package func run() async throws {
        // Weak: the watch lives inside this service.
        await livenessWatch?.setHandlers(LivenessWatch.Handlers(
            lost: { [weak self] key in await self?.urgentCheck(key, reason: "connection to the server was closed") },
            unanswered: { [weak self] key, sent in await self?.pingUnanswered(key, sent: sent) }
        ))
        let stored = try await store.allInstances()
        await registry.load(stored, aliasOverrides: try await store.clusterAliases())
        probe.unresolves.replaceAll(try await store.hostnameUnresolves())
        for instance in stored { startPolling(instance.key) }
        await countInstances()
        logger.info("discovery started", metadata: ["instances": "\(stored.count)"])
        await withDiscardingTaskGroup { group in
            group.addTask { await self.flushLoop() }
            group.addTask { await self.requestedDiscoveries.run() }
            for seed in seeds { group.addTask { await self.discoverSeed(seed) } }
            for await key in newKeys.cancelOnGracefulShutdown() {
                group.addTask { await self.pollLoop(key) }
            }
            group.cancelAll()
        }
        await livenessWatch?.stopAll()
        await flush()
        await probe.connections.closeAll()
    }

    /// Probes `key` now. On success the instance is recorded, polled from now on, and its
    /// neighbours are crawled; on failure nothing about an unknown instance is stored.
    @discardableResult
    package func discover(_ key: InstanceKey) async throws(ProbeError) -> Instance {
        let previous = await registry.instance(key)
        let started = Date()
        do {
            let probed = try await probe.probe(key, previous: previous)
            let recorded = await recordSuccess(probed, startedAt: started)
            if previous == nil {
                logger.info("discovered instance", metadata: ["instance": "\(key)", "cluster": "\(recorded.clusterName)"])
                await countInstances()
            }
            startPolling(key)
            await crawl(from: recorded)
            return recorded
        } catch {
            await recordFailure(key, error: error.description, partialSuccess: error.partialSuccess, startedAt: started)
            throw error
        }
    }

    /// Probes a known instance now and records the result, without crawling; returns what the
    /// registry holds afterwards (the previous facts, marked as failed, when the probe failed).
    package func refresh(_ key: InstanceKey) async -> Instance? {
        await pollOnce(key, isKnown: true)
        return await registry.instance(key)
    }

    /// Forgets an instance: it is no longer polled and disappears from the store.
    package func forget(_ key: InstanceKey) async throws -> Bool {
        await livenessWatch?.unwatch(key)
        feed?.remove(key)
        let known = await registry.forget(key)
        await countInstances()
        _ = try await store.forgetInstance(key)
        await probe.connections.drop(key)
        return known
    }

    /// Writes changed instances to the store at once (the writer also runs every second).
    package func flush() async {
        let changed = await registry.takeDirty()
        guard !changed.isEmpty else { return }
        do {
            try await store.upsertInstances(changed)
        } catch {
            logger.error("cannot write instances to the store", metadata: ["error": "\(error)", "count": "\(changed.count)"])
        }
    }

    /// `DiscoverySeeds`: keep trying until the seed answers once; polling takes over from there.
    private func discoverSeed(_ key: InstanceKey) async {
        while !Task.isCancelled, await !registry.contains(key) {
            do {
                try await discover(key)
                return
            } catch {
                logger.warning("seed not reachable yet", metadata: ["instance": "\(key)", "error": "\(error)"])
            }
            do { try await Task.sleep(for: pollInterval) } catch { return }
        }
    }

    func startPolling(_ key: InstanceKey) {
        let isNew = active.withLock { $0.insert(key).inserted }
        if isNew { newKeysContinuation.yield(key) }
    }

    private func pollLoop(_ key: InstanceKey) async {
        defer { _ = active.withLock { $0.remove(key) } }
        let clock = ContinuousClock()
        var next = clock.now
        while !Task.isCancelled {
            let known = await registry.contains(key)
            // A known instance of a cluster another node owns is not probed here; its owner
            // publishes what it sees (`ProbeShareService`). The loop keeps ticking, so the
            // instance is probed from the first tick after its cluster comes to this node. An
            // unknown key (a neighbour just crawled) gets its one attempt whoever owns it:
            // nobody else knows it yet.
            let isOwned = await owns(key)
            if !known || isOwned {
                await pollOnce(key, isKnown: known)
            } else {
                await livenessWatch?.unwatch(key)
            }
            // Unknown keys (crawled neighbours) get one attempt; a later crawl retries them.
            guard await registry.contains(key) else { return }
            next = next.advanced(by: pollInterval)
            if next < clock.now { next = clock.now }
            do { try await Task.sleep(until: next, clock: clock) } catch { return }
        }
    }

    func pollOnce(_ key: InstanceKey, isKnown: Bool) async {
        let previous = await registry.instance(key)
        // Follow-ups (crawls, watches, urgent checks) only for what this node owns; an explicit
        // refresh of another node's instance (a recovery's, an operation's) only records.
        let isOwned = await owns(key)
        let started = Date()
        do {
            let probed = try await probe.probe(key, previous: previous)
            // A replica whose IO thread just stopped: its master is checked at once. As for a
            // failed master probe, the check is marked as running before the result is
            // recorded, so the analysis it triggers (the master still looks fine, its replicas
            // no longer replicate) knows the verdict is settling.
            var checkMaster = false
            if isOwned, previous?.ioThreadState == .running, probed.ioThreadState != .running, probed.masterKey.isValid,
               await registry.contains(probed.masterKey) {
                checkMaster = await registry.beginUrgentCheck(probed.masterKey)
            }
            let recorded = await recordSuccess(probed, startedAt: started)
            if !isKnown {
                logger.info("discovered instance", metadata: ["instance": "\(key)", "cluster": "\(recorded.clusterName)"])
                await countInstances()
            }
            // Placed now: an instance just discovered belongs to its master's cluster.
            guard await owns(key) else { return }
            await crawl(from: recorded)
            await followUp(recorded)
            if checkMaster { await runUrgentCheck(probed.masterKey, reason: "replica \(key) lost its IO thread", started: Date()) }
        } catch {
            if isKnown, previous?.lastProbeError.isEmpty ?? true {
                logger.warning("probe failed", metadata: ["instance": "\(key)", "error": "\(error)"])
            }
            // A master (or intermediate master) just became unreachable: ask its replicas now.
            // The check is marked as running before the failure is recorded, so that the
            // analysis this failure triggers already knows the verdict is still settling.
            let escalate = isOwned && (previous?.isLastCheckValid ?? false)
            if escalate, await !registry.replicas(of: key).isEmpty, await registry.beginUrgentCheck(key) {
                await recordFailure(key, error: error.description, partialSuccess: error.partialSuccess, startedAt: started)
                await runUrgentCheck(key, reason: "probe failed: \(error)", started: Date())
            } else {
                await recordFailure(key, error: error.description, partialSuccess: error.partialSuccess, startedAt: started)
            }
        }
    }

    /// After a successful probe: watch servers that have replicas.
    private func followUp(_ recorded: Instance) async {
        guard let livenessWatch else { return }
        if recorded.replicas.isEmpty { await livenessWatch.unwatch(recorded.key) } else { await livenessWatch.watch(recorded.key) }
    }

    /// A watched master left a ping unanswered for a whole pulse: it counts as a failed check
    /// from the moment the ping was sent (a probe that started earlier and answers later is
    /// older news), and its replicas are asked at once whether they still hear from it.
    private func pingUnanswered(_ key: InstanceKey, sent: Date) async {
        guard let instance = await registry.instance(key), instance.isLastCheckValid, await owns(key) else { return }
        let limit = probe.configuration.masterPingMilliseconds
        logger.warning("master did not answer a ping", metadata: ["instance": "\(key)", "within_ms": "\(limit)"])
        let hasReplicas = await !registry.replicas(of: key).isEmpty
        let escalate = hasReplicas ? await registry.beginUrgentCheck(key) : false
        await recordFailure(key, error: "no answer to a ping within \(limit) ms", partialSuccess: false, startedAt: sent)
        if escalate { await runUrgentCheck(key, reason: "no answer to a ping within \(limit) ms", started: sent, testReconnects: true) }
    }

    /// How long an urgent check keeps asking the replicas of `master`: long enough for them to
    /// notice a crash, and for their heartbeat counters to prove a silent master (a few seconds
    /// at most; with longer heartbeat periods the regular polls carry on the proof).
    private func urgentCheckWindow(replicas: [Instance]) -> Duration {
        let silence = min(MasterSilence.longestWait(for: replicas), 5)
        return max(urgentCheckWindow, .milliseconds(Int64((silence + 0.5) * 1000)))
    }

    /// Probes a master and all its replicas at once, in parallel, then keeps re-probing the
    /// replicas every 50 ms for up to `urgentCheckWindow` while the master is unreachable and
    /// some replica still believes it is connected: replicas notice a dead master within tens of
    /// milliseconds (longer on a loaded machine), and their agreement is what turns
    /// "unreachable" into "dead". The window is measured in time, not rounds, so a slow machine
    /// does not end it before the replicas could answer.
    package func urgentCheck(_ key: InstanceKey, reason: String) async {
        guard await owns(key), await registry.beginUrgentCheck(key) else { return }
        await runUrgentCheck(key, reason: reason, started: Date())
    }

    /// The urgent check itself, once marked as running; marks it over when done. With
    /// `testReconnects` (a master that hangs rather than closes), the reconnect test runs after
    /// the first round if the master still does not answer, and the replicas are re-probed until
    /// it decides.
    private func runUrgentCheck(_ key: InstanceKey, reason: String, started: Date, testReconnects: Bool = false) async {
        logger.info("checking a master and its replicas at once", metadata: ["instance": "\(key)", "reason": "\(reason)"])
        await withDiscardingTaskGroup { group in
            group.addTask { await self.pollOnce(key, isKnown: true) }
            group.addTask {
                let replicas = await self.registry.replicas(of: key)
                var deadline = ContinuousClock.now + self.urgentCheckWindow(replicas: replicas)
                var pending = replicas.map(\.key)
                var testPending = testReconnects
                while !pending.isEmpty, ContinuousClock.now < deadline, !Task.isCancelled {
                    await withDiscardingTaskGroup { replicas in
                        for replica in pending { replicas.addTask { await self.pollOnce(replica, isKnown: true) } }
                    }
                    let master = await self.registry.instance(key)
                    if let master, master.isLastCheckValid, let checked = master.lastChecked, checked >= started { return }
                    if testPending, let tester = self.reconnectTester {
                        testPending = false
                        if await !tester.run(master: key).isEmpty {
                            deadline = max(deadline, ContinuousClock.now + .milliseconds(Int64(tester.window * 1000) + 1000))
                        }
                    }
                    // Only replicas that may still hear the master (connected and not proved
                    // silent, or under a reconnect test not decided yet) can change the verdict.
                    pending = await self.registry.replicas(of: key).filter { $0.isLastCheckValid && $0.mayHearItsMaster }.map(\.key)
                    if pending.isEmpty { return }
                    do { try await Task.sleep(for: .milliseconds(50)) } catch { return }
                }
            }
        }
        await registry.endUrgentCheck(key)
    }

    /// Queues the master and replicas of `instance` that are not known yet.
    private func crawl(from instance: Instance) async {
        var neighbours = instance.replicas
        if instance.masterKey.isValid { neighbours.append(instance.masterKey) }
        for key in neighbours where await !registry.contains(key) {
            startPolling(key)
        }
    }

    private func flushLoop() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: .seconds(1)) } catch { return }
            await flush()
            await countInstances()
        }
    }

    /// `orchestrator_discovery_instances_known`: set when an instance is added or forgotten,
    /// and every second (the registry also changes through recoveries and cluster forgets).
    private func countInstances() async {
        probe.metrics.instancesKnown(await registry.count)
    }
}
