import Foundation
import Topology

/// The live picture of every known instance: probe results merged with check bookkeeping and
/// cluster placement. Shared by discovery (writer) and the API (reader).
package actor InstanceRegistry {
    private var instances: [InstanceKey: Instance] = [:]
    private var dirty: Set<InstanceKey> = []
    private var aliasOverrides: [String: String] = [:]
    /// Each cluster's top instances (depth 0), smallest key first, as of the last placement:
    /// a replica's alias is read from them on every probe, which must not scan every instance.
    private var clusterTops: [String: [InstanceKey]] = [:]
    /// Servers whose master-and-replicas check is running: their verdict is about to settle.
    private var underUrgentCheck: Set<InstanceKey> = []
    /// When the newest recorded probe of each instance started. Probes overlap (poll, urgent
    /// check, operation refresh, API discover): a result older than one already recorded is
    /// dropped, so facts never move back in time.
    private var newestProbeStart: [InstanceKey: Date] = [:]
    /// Downtimes in force (the store keeps them across restarts); shown on the instances.
    private var downtimes: [InstanceKey: Downtime] = [:]
    private let clusterNameToAlias: [(pattern: Regex<AnyRegexOutput>, alias: String)]
    private let lagThreshold: Int64
    /// Names of clusters in which a probe just changed a fact that analysis reads, so that
    /// failures are analysed the moment they are seen rather than on a timer.
    package nonisolated let analysisTriggers: AsyncStream<String>
    private let analysisTriggerContinuation: AsyncStream<String>.Continuation
    /// What watchers (the web page) hear about at once; every service of the engine publishes here.
    package nonisolated let events: EngineEvents

    /// - Parameter reasonableReplicationLagSeconds: lag changes matter to analysis only when they cross it.
    package init(clusterNameToAlias: [String: String] = [:], reasonableReplicationLagSeconds: Int64 = 10, events: EngineEvents = EngineEvents()) {
        self.events = events
        self.clusterNameToAlias = clusterNameToAlias.sorted { $0.key < $1.key }.compactMap { pattern, alias in
            (try? Regex(pattern)).map { ($0, alias) }
        }
        lagThreshold = reasonableReplicationLagSeconds
        // Bounded, so a registry without an analysis service does not grow; a dropped trigger is
        // caught up by the analysis service's one-second sweep.
        (analysisTriggers, analysisTriggerContinuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(4096))
    }

    /// Signals the clusters of `key` before and after a change when analysis facts changed.
    private func triggerAnalysis(_ key: InstanceKey, before: Instance?) {
        guard let after = instances[key] else { return }
        guard before?.analysisFacts(lagThreshold: lagThreshold) != after.analysisFacts(lagThreshold: lagThreshold) else { return }
        analysisTriggerContinuation.yield(after.clusterName)
        events.publish(.topology(cluster: after.clusterName))
        if let before, before.clusterName != after.clusterName, !before.clusterName.isEmpty {
            analysisTriggerContinuation.yield(before.clusterName)
            events.publish(.topology(cluster: before.clusterName))
        }
    }

    /// Loads what the store remembered, so a restarted daemon resumes polling at once.
    package func load(_ stored: [Instance], aliasOverrides: [String: String]) {
        for var instance in stored {
            // A reconnect test belongs to the run that started it.
            instance.reconnectTest = nil
            instances[instance.key] = instance
            decorate(instance.key)
        }
        self.aliasOverrides = aliasOverrides
        recomputePlacements()
    }

    // MARK: Writes from discovery

    /// Whether a probe of `key` that started at `started` is at least as new as every one
    /// recorded; remembers it when it is.
    private func admits(_ key: InstanceKey, startedAt started: Date) -> Bool {
        if let newest = newestProbeStart[key], started < newest { return false }
        newestProbeStart[key] = started
        return true
    }

    /// Records a successful probe that started at `startedAt` (default: `now`); returns the
    /// instance as now known (with placement and bookkeeping). A probe older than the newest
    /// recorded one changes nothing.
    @discardableResult
    package func recordSuccess(_ probed: Instance, at now: Date, startedAt: Date? = nil) -> Instance {
        if !admits(probed.key, startedAt: startedAt ?? now), let current = instances[probed.key] { return current }
        var instance = probed
        instance.lastChecked = now
        instance.lastSeen = now
        instance.lastAttemptedCheck = now
        instance.lastCheckPartialSuccess = true
        instance.lastProbeError = ""
        let previous = instances[instance.key]
        if let read = probed.receipt {
            // Silence is measured within one connection of the IO thread: a restarted thread
            // counts its heartbeats from 0 again, so a reading of a stopped or reconnecting
            // thread ends the measure.
            let sameConnection = previous?.ioThreadState == .running ? previous?.receipt : nil
            instance.receipt = ReplicationReceipt.tracking(read, previous: sameConnection, started: startedAt ?? now, finished: now)
        }
        instance.reconnectTest = previous?.reconnectTest?.recording(readingStartedAt: startedAt ?? now, of: probed)
        // Downtime lives in the registry, not in probes (and survives a forget and rediscovery).
        instance.downtime = downtimes[instance.key]
        instance.isDowntimed = instance.downtime != nil
        // What this replica executed that its master (as last probed) never had.
        if instance.masterKey.port != 0, let master = instances[instance.masterKey] {
            instance.gtidErrant = ErrantGTID.of(instance, master: master, chain: masterChain(from: master))
        }
        instances[instance.key] = instance
        dirty.insert(instance.key)
        if previous?.masterKey != instance.masterKey || previous == nil || previous?.suggestedClusterAlias != instance.suggestedClusterAlias {
            recomputePlacements()
        } else if let previous {
            copyPlacement(from: previous, to: instance.key)
        }
        triggerAnalysis(instance.key, before: previous)
        return instances[instance.key] ?? instance
    }

    /// Records a failed probe of a known instance: its last known facts stay, the check turns invalid.
    package func recordFailure(_ key: InstanceKey, error: String, partialSuccess: Bool, at now: Date, startedAt: Date? = nil) {
        guard var instance = instances[key], admits(key, startedAt: startedAt ?? now) else { return }
        let previous = instance
        instance.lastChecked = now
        instance.lastAttemptedCheck = now
        instance.lastCheckPartialSuccess = partialSuccess
        instance.lastProbeError = error
        instances[key] = instance
        dirty.insert(key)
        triggerAnalysis(key, before: previous)
    }

    // MARK: Reconnect tests (`ReconnectTest`)

    /// Marks `replicas` as under a reconnect test to `master`, before their IO threads restart:
    /// until the test decides, analysis counts them as connected.
    package func beginReconnectTest(_ replicas: [InstanceKey], master: InstanceKey, window: Double) {
        for key in replicas where instances[key]?.masterKey == master {
            instances[key]?.reconnectTest = ReconnectTest(masterKey: master, window: window)
        }
    }

    /// The restart of `replica`'s IO thread returned at `restartedAt`: its window runs from there.
    package func reconnectTestRestarted(_ replica: InstanceKey, at restartedAt: Date) {
        instances[replica]?.reconnectTest?.restartedAt = restartedAt
        // The new connection has heard nothing yet, and proves no silence before it began.
        if var receipt = instances[replica]?.receipt {
            receipt.unchangedSince = max(receipt.unchangedSince, restartedAt)
            receipt.unchangedThrough = max(receipt.unchangedThrough, restartedAt)
            instances[replica]?.receipt = receipt
        }
    }

    /// The restart failed: the replica is judged as its probes read it, without a test.
    package func endReconnectTest(_ replica: InstanceKey) {
        guard let previous = instances[replica], previous.reconnectTest != nil else { return }
        instances[replica]?.reconnectTest = nil
        triggerAnalysis(replica, before: previous)
    }

    /// Removes an instance; returns whether it was known.
    package func forget(_ key: InstanceKey) -> Bool {
        guard let forgotten = instances.removeValue(forKey: key) else { return false }
        events.publish(.topology(cluster: forgotten.clusterName))
        dirty.remove(key)
        newestProbeStart[key] = nil
        recomputePlacements()
        return true
    }

    /// `master` and the masters above it, nearest first, stopping at a loop (co-masters).
    private func masterChain(from master: Instance) -> [Instance] {
        var chain = [master]
        var seen: Set<InstanceKey> = [master.key]
        while let next = instances[chain[chain.count - 1].masterKey], seen.insert(next.key).inserted, chain.count < 32 {
            chain.append(next)
        }
        return chain
    }

    // MARK: Downtime

    /// Puts `downtime` in force (replacing any) and shows it on the instance.
    package func setDowntime(_ downtime: Downtime) {
        downtimes[downtime.key] = downtime
        decorate(downtime.key)
    }

    /// Makes `downtimes` the only ones in force (the nodes' shared ones, mirrored from etcd).
    package func replaceDowntimes(_ replacements: [Downtime]) {
        let next = Dictionary(replacements.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
        let changed = Set(downtimes.keys).union(next.keys).filter { downtimes[$0] != next[$0] }
        downtimes = next
        for key in changed { decorate(key) }
    }

    /// Ends the instance's downtime; whether it had one.
    @discardableResult
    package func removeDowntime(_ key: InstanceKey) -> Bool {
        guard downtimes.removeValue(forKey: key) != nil else { return false }
        decorate(key)
        return true
    }

    /// Downtimes in force at `now`, by instance.
    package func activeDowntimes(at now: Date) -> [InstanceKey: Downtime] {
        downtimes.filter { $0.value.isActive(at: now) }
    }

    /// Drops the downtimes that ended by time; returns them.
    package func expireDowntimes(at now: Date) -> [Downtime] {
        let ended = downtimes.values.filter { $0.endsAt.map { $0 <= now } ?? false }
        for downtime in ended { removeDowntime(downtime.key) }
        return ended
    }

    /// Ends `downtime` if it is still the one in force (not replaced meanwhile); whether it was.
    @discardableResult
    package func removeDowntime(_ downtime: Downtime) -> Bool {
        guard downtimes[downtime.key] == downtime else { return false }
        return removeDowntime(downtime.key)
    }

    private func decorate(_ key: InstanceKey) {
        guard var instance = instances[key] else { return }
        let before = instance
        instance.downtime = downtimes[key]
        instance.isDowntimed = downtimes[key] != nil
        guard instance != before else { return }
        instances[key] = instance
        dirty.insert(key)
        triggerAnalysis(key, before: before)
    }

    package func setAliasOverride(_ alias: String, forCluster clusterName: String) {
        aliasOverrides[clusterName] = alias
    }

    /// After a master failover the alias names the promoted master's cluster; the old master's
    /// leftover cluster stops claiming it (mirrors `SQLiteStore.moveClusterAlias`).
    package func moveAlias(_ alias: String, from oldCluster: String, to newCluster: String) {
        aliasOverrides = aliasOverrides.filter { $0.key != oldCluster && $0.value != alias }
        aliasOverrides[newCluster] = alias
    }

    /// Instances changed since the last call (for the store writer).
    package func takeDirty() -> [Instance] {
        let changed = dirty.compactMap { instances[$0] }
        dirty.removeAll()
        return changed
    }

    /// Marks an urgent check of `key` (and its replicas) as running; `false` when one already is.
    package func beginUrgentCheck(_ key: InstanceKey) -> Bool {
        underUrgentCheck.insert(key).inserted
    }

    /// The urgent check of `key` is over: its cluster is analysed again with the settled facts.
    package func endUrgentCheck(_ key: InstanceKey) {
        underUrgentCheck.remove(key)
        if let clusterName = instances[key]?.clusterName { analysisTriggerContinuation.yield(clusterName) }
    }


    // MARK: Reads

    package func contains(_ key: InstanceKey) -> Bool { instances[key] != nil }
    package func instance(_ key: InstanceKey) -> Instance? { instances[key] }
    package var keys: [InstanceKey] { instances.keys.sorted() }
    package var count: Int { instances.count }

    /// Every instance, ordered by host then port.
    package func allInstances() -> [Instance] {
        instances.values.sorted { $0.key < $1.key }
    }

    package func instances(inCluster clusterName: String) -> [Instance] {
        instances.values.filter { $0.clusterName == clusterName }.sorted { $0.key < $1.key }
    }

    /// The instances of one cluster (or all) and the urgent checks running, read at one moment:
    /// whether a verdict is still settling must be judged against the very facts it concerns.
    package func instancesAndUrgentChecks(inCluster clusterName: String?) -> (instances: [Instance], underUrgentCheck: Set<InstanceKey>) {
        (clusterName.map { instances(inCluster: $0) } ?? allInstances(), underUrgentCheck)
    }

    /// Instances that name `key` as their master.
    package func replicas(of key: InstanceKey) -> [Instance] {
        instances.values.filter { $0.masterKey == key }.sorted { $0.key < $1.key }
    }

    /// Aliases of every known cluster, for analysis: one pass over the instances, where asking
    /// `alias(ofCluster:)` per cluster would scan them once per cluster.
    package func clusterAliases() -> [String: String] {
        let tops = Dictionary(grouping: instances.values.filter { $0.replicationDepth == 0 }, by: \.clusterName)
        var aliases: [String: String] = [:]
        for name in Set(instances.values.map(\.clusterName)) {
            aliases[name] = alias(ofCluster: name, master: Self.master(among: tops[name] ?? []))
        }
        return aliases
    }

    package func clusterNames() -> [String] {
        Set(instances.values.map(\.clusterName)).sorted()
    }

    /// The alias of a cluster: manual override, then the alias its master suggests, then the
    /// `ClusterNameToAlias` mapping, else the cluster name itself. An alias that an override
    /// gives to another cluster is not claimed (after a failover the failed master still
    /// suggests the alias its cluster had).
    package func alias(ofCluster clusterName: String) -> String {
        alias(ofCluster: clusterName, master: masterInstance(ofCluster: clusterName))
    }

    private func alias(ofCluster clusterName: String, master: Instance?) -> String {
        if let override = aliasOverrides[clusterName], !override.isEmpty { return override }
        if let master, !master.suggestedClusterAlias.isEmpty, !isClaimed(master.suggestedClusterAlias, besides: clusterName) {
            return master.suggestedClusterAlias
        }
        for (pattern, alias) in clusterNameToAlias where clusterName.contains(pattern) && !isClaimed(alias, besides: clusterName) { return alias }
        return clusterName
    }

    /// Whether another live cluster holds `alias` by override. An override left on a cluster
    /// name that no longer exists (renamed by a take-master or a switchover done elsewhere)
    /// claims nothing. Overrides are few: the instances are scanned only for a real claimant.
    private func isClaimed(_ alias: String, besides clusterName: String) -> Bool {
        let claimants = aliasOverrides.filter { $0.key != clusterName && $0.value == alias }.map(\.key)
        guard !claimants.isEmpty else { return false }
        return instances.values.contains { claimants.contains($0.clusterName) }
    }

    package func masterInstance(ofCluster clusterName: String) -> Instance? {
        Self.master(among: instances.values.filter { $0.clusterName == clusterName && $0.replicationDepth == 0 })
    }

    /// The writable one of a cluster's top instances, else the smallest key (co-masters).
    private static func master(among top: [Instance]) -> Instance? {
        top.first { !$0.readOnly } ?? top.min { $0.key < $1.key }
    }

    private func copyPlacement(from previous: Instance, to key: InstanceKey) {
        instances[key]?.clusterName = previous.clusterName
        instances[key]?.replicationDepth = previous.replicationDepth
        instances[key]?.isCoMaster = previous.isCoMaster
        inheritAlias(key)
    }

    /// Replicas carry the alias their cluster's master suggests, as in orchestrator.
    private func inheritAlias(_ key: InstanceKey) {
        guard let instance = instances[key], instance.replicationDepth > 0 else { return }
        let top = clusterTops[instance.clusterName]?.lazy.compactMap { self.instances[$0] }.first { $0.replicationDepth == 0 }
        instances[key]?.suggestedClusterAlias = top?.suggestedClusterAlias ?? ""
    }

    private func recomputePlacements() {
        let masters = instances.mapValues { instance -> InstanceKey? in
            instance.masterKey.isValid ? instance.masterKey : nil
        }
        let placements = ClusterMembership.placements(masters: masters)
        for (key, placement) in placements {
            guard instances[key] != nil else { continue }
            if instances[key]?.clusterName != placement.clusterName
                || instances[key]?.replicationDepth != placement.depth
                || instances[key]?.isCoMaster != placement.isCoMaster {
                dirty.insert(key)
            }
            instances[key]?.clusterName = placement.clusterName
            instances[key]?.replicationDepth = placement.depth
            instances[key]?.isCoMaster = placement.isCoMaster
        }
        var tops: [String: [InstanceKey]] = [:]
        for instance in instances.values where instance.replicationDepth == 0 { tops[instance.clusterName, default: []].append(instance.key) }
        clusterTops = tops.mapValues { $0.sorted() }
        for key in instances.keys { inheritAlias(key) }
    }
}
