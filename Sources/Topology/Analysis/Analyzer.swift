import Foundation

/// orchestrator's replication analysis as a pure function: instances in, entries out.
/// Every instance that can carry a problem gets one entry with the counts over its replicas, a
/// code (`analysis.md` §5, first matching rule wins) and structure warnings (§6), then the
/// downtime and ignore filters of §7. Where orchestrator is known to be wrong this does better;
/// each such difference is listed in `docs/differences-from-orchestrator.md`.
package enum Analyzer {
    package static func analyze(
        _ snapshot: AnalysisSnapshot,
        configuration: AnalysisConfiguration = AnalysisConfiguration(),
        hints: AnalysisHints = .api,
        clusterName: String? = nil
    ) -> [ReplicationAnalysis] {
        var pass = Pass(snapshot: snapshot, configuration: configuration)
        var replicaIndices: [InstanceKey: [Int]] = [:]
        for (index, instance) in snapshot.instances.enumerated() where !isMaster(instance) {
            replicaIndices[instance.masterKey, default: []].append(index)
        }
        var entries: [ReplicationAnalysis] = []
        for (index, instance) in snapshot.instances.enumerated() {
            if snapshot.maintenance.contains(instance.key) { continue }
            if let clusterName, instance.clusterName != clusterName { continue }
            let replicas = (replicaIndices[instance.key] ?? []).sorted { snapshot.instances[$0].key < snapshot.instances[$1].key }
            var entry = pass.facts(of: index, replicas: replicas)
            if configuration.reduceReplicationAnalysisCount, !mayCarryProblem(entry) { continue }
            entry.analysis = classify(entry, snapshot: snapshot, configuration: configuration)
            entry.structureAnalysis = structureWarnings(entry)
            guard let kept = filtered(entry, hints: hints, configuration: configuration) else { continue }
            entries.append(kept)
        }
        return entries.sorted(by: listingOrder)
    }

    /// Masters first, then the instance named like its cluster, then by replica count (most
    /// first), then by key so the order is stable.
    private static func listingOrder(_ a: ReplicationAnalysis, _ b: ReplicationAnalysis) -> Bool {
        if a.isMaster != b.isMaster { return a.isMaster }
        let aNamesCluster = a.analyzedInstanceKey.description == a.clusterDetails.clusterName
        let bNamesCluster = b.analyzedInstanceKey.description == b.clusterDetails.clusterName
        if aNamesCluster != bNamesCluster { return aNamesCluster }
        if a.countReplicas != b.countReplicas { return a.countReplicas > b.countReplicas }
        return a.analyzedInstanceKey < b.analyzedInstanceKey
    }

    /// orchestrator's `ReduceReplicationAnalysisCount` filter: rows that cannot carry a problem are skipped.
    private static func mayCarryProblem(_ entry: ReplicationAnalysis) -> Bool {
        !entry.lastCheckValid
            || entry.countReplicasFailingToConnectToMaster > 0
            || entry.countValidReplicas < entry.countReplicas
            || entry.countValidReplicatingReplicas < entry.countReplicas
            || entry.isFailingToConnectToMaster
            || entry.countReplicas > 0
    }

    /// §7: drop quiet rows and ignored hosts, mark downtime.
    private static func filtered(_ entry: ReplicationAnalysis, hints: AnalysisHints, configuration: AnalysisConfiguration) -> ReplicationAnalysis? {
        var entry = entry
        if entry.analysis == .noProblem, entry.structureAnalysis.isEmpty, !hints.includeNoProblem { return nil }
        let hostname = entry.analyzedInstanceKey.hostname
        if configuration.recoveryIgnoreHostnameFilters.contains(where: { ClusterFilter.matchesRegex($0, hostname) }) { return nil }
        if entry.isDowntimed { entry.skippableDueToDowntime = true }
        if entry.countReplicas == entry.countDowntimedReplicas, entry.analysis.concernsReplicas {
            entry.isReplicasDowntimed = true
            entry.skippableDueToDowntime = true
        }
        if entry.skippableDueToDowntime, !hints.includeDowntimed { return nil }
        return entry
    }

    // MARK: Facts

    /// orchestrator's `IsMaster`: no usable master configured.
    static func isMaster(_ instance: Instance) -> Bool {
        let host = instance.masterKey.hostname
        return host.isEmpty || host == "_" || instance.masterKey.port == 0 || host.hasPrefix("//")
    }

    /// `last_checked <= last_seen` and the latest attempt began within the validity window.
    static func isLastCheckValid(_ instance: Instance, configuration: AnalysisConfiguration) -> Bool {
        guard instance.isLastCheckValid, let lastSeen = instance.lastSeen else { return false }
        let attempted = instance.lastAttemptedCheck ?? instance.lastChecked ?? lastSeen
        return attempted <= lastSeen.addingTimeInterval(configuration.validSecondsFromSeenToLastAttemptedCheck)
    }

    /// The IO thread is down, the SQL thread up, and the IO error says it cannot (re)connect.
    /// orchestrator only knows the "master" wording; MySQL 8.0.26+ says "source".
    package static func isFailingToConnectToMaster(_ instance: Instance) -> Bool {
        guard instance.sqlThreadState == .running, instance.ioThreadState != .running else { return false }
        let error = instance.lastIOError.lowercased()
        guard let start = error.range(of: "error ") else { return false }
        let rest = error[start.upperBound...]
        return rest.contains("connecting to master") || rest.contains("connecting to source")
    }

    /// MariaDB has no `rpl_semi_sync_master_wait_for_slave_count`: an enabled semi-sync master
    /// always waits for one acknowledgement. orchestrator reads 0 there, which silences every
    /// semi-sync code on MariaDB.
    static func effectiveSemiSyncWaitCount(_ instance: Instance) -> Int64 {
        if instance.semiSyncMasterWaitForReplicaCount == 0, instance.semiSyncMasterEnabled, instance.isMariaDB { return 1 }
        return instance.semiSyncMasterWaitForReplicaCount
    }

    /// The version names MaxScale (`Instance.isBinlogServer`).
    static func isBinlogServer(_ instance: Instance) -> Bool { instance.isBinlogServer }

    /// One analysis over one snapshot: per-instance facts computed once, cluster details once
    /// per cluster (filters are regexes), instances referred to by index rather than copied.
    private struct Pass {
        let snapshot: AnalysisSnapshot
        let configuration: AnalysisConfiguration
        /// Per instance: last check valid, binlog server, failing to connect, downtimed.
        let valid: [Bool]
        let binlogServer: [Bool]
        let failing: [Bool]
        let downtimed: [Bool]
        var clusterDetails: [String: AnalysisClusterDetails] = [:]

        init(snapshot: AnalysisSnapshot, configuration: AnalysisConfiguration) {
            self.snapshot = snapshot
            self.configuration = configuration
            let instances = snapshot.instances
            valid = instances.map { isLastCheckValid($0, configuration: configuration) }
            binlogServer = instances.map { isBinlogServer($0) || snapshot.binlogServers.contains($0.key) }
            failing = instances.map(isFailingToConnectToMaster)
            downtimed = instances.map { snapshot.downtimes[$0.key]?.isActive(at: snapshot.now) ?? false }
        }

        mutating func details(ofCluster clusterName: String) -> AnalysisClusterDetails {
            if let known = clusterDetails[clusterName] { return known }
            let alias = snapshot.clusterAliases[clusterName] ?? clusterName
            let details = AnalysisClusterDetails(
                clusterName: clusterName,
                clusterAlias: alias,
                clusterDomain: snapshot.clusterDomains[clusterName] ?? clusterName,
                hasAutomatedMasterRecovery: ClusterFilter.matches(configuration.recoverMasterClusterFilters, clusterName: clusterName, clusterAlias: alias),
                hasAutomatedIntermediateMasterRecovery: ClusterFilter.matches(
                    configuration.recoverIntermediateMasterClusterFilters, clusterName: clusterName, clusterAlias: alias
                )
            )
            clusterDetails[clusterName] = details
            return details
        }

        mutating func facts(of index: Int, replicas: [Int]) -> ReplicationAnalysis {
            let instance = snapshot.instances[index]
            let clusterName = instance.clusterName.isEmpty ? instance.key.description : instance.clusterName
            var entry = ReplicationAnalysis(
                analyzedInstanceKey: instance.key, analyzedInstanceMasterKey: instance.masterKey, clusterDetails: details(ofCluster: clusterName)
            )
            entry.analyzedInstanceDataCenter = instance.dataCenter
            entry.analyzedInstanceRegion = instance.region
            entry.analyzedInstancePhysicalEnvironment = instance.physicalEnvironment
            entry.analyzedInstanceBinlogCoordinates = instance.selfBinlogCoordinates
            entry.isMaster = isMaster(instance)
            entry.isCoMaster = instance.isCoMaster || replicas.contains { snapshot.instances[$0].isCoMaster }
            entry.lastCheckValid = valid[index]
            entry.lastCheckPartialSuccess = instance.lastCheckPartialSuccess
            entry.replicationDepth = instance.replicationDepth
            entry.isFailingToConnectToMaster = failing[index]
            entry.isBinlogServer = binlogServer[index]
            // orchestrator: the analyzed instance's own flag, whatever its replicas.
            entry.pseudoGTIDImmediateTopology = instance.usingPseudoGTID
            entry.gtidMode = instance.gtidMode
            entry.isReadOnly = instance.readOnly
            entry.semiSyncMasterEnabled = instance.semiSyncMasterEnabled
            entry.semiSyncMasterStatus = instance.semiSyncMasterStatus
            entry.semiSyncMasterWaitForReplicaCount = effectiveSemiSyncWaitCount(instance)
            entry.semiSyncMasterClients = instance.semiSyncMasterClients
            if downtimed[index], let downtime = snapshot.downtimes[instance.key] {
                entry.isDowntimed = true
                entry.downtimeEndTimestamp = downtime.endsAt
                if let endsAt = downtime.endsAt { entry.downtimeRemainingSeconds = Int64(endsAt.timeIntervalSince(snapshot.now).rounded(.down)) }
            }
            count(replicas, into: &entry)
            return entry
        }

        private func count(_ replicas: [Int], into entry: inout ReplicationAnalysis) {
            entry.replicas = replicas.map { snapshot.instances[$0].key }
            entry.countReplicas = replicas.count
            var validReplicas: [Int] = []
            var loggingMajorVersions: Set<String> = []
            var gtidModes: [String] = []
            var errant: [String] = []
            for index in replicas {
                let replica = snapshot.instances[index]
                if valid[index] {
                    validReplicas.append(index)
                    // A replica that provably hears nothing from its master is not connected to
                    // it, whatever its IO thread says (a frozen master closes no connection); one
                    // whose reconnect test has not decided yet still counts as connected.
                    let ioRunning = replica.mayHearItsMaster
                    if ioRunning, replica.sqlThreadState == .running { entry.countValidReplicatingReplicas += 1 }
                    if ioRunning { entry.countValidReplicasWithIOThreadRunning += 1 }
                    if failing[index] { entry.countReplicasFailingToConnectToMaster += 1 }
                }
                if downtimed[index] { entry.countDowntimedReplicas += 1 } else { errant.append(replica.gtidErrant) }
                if replica.semiSyncReplicaEnabled { entry.countSemiSyncReplicasEnabled += 1 }
                if replica.logBinEnabled, replica.logReplicationUpdatesEnabled {
                    entry.countLoggingReplicas += 1
                    loggingMajorVersions.insert(replica.majorVersion)
                    switch replica.binlogFormat == "ROW" ? "ROW" : replica.binlogFormat.uppercased() {
                    case "STATEMENT": entry.countStatementBasedLoggingReplicas += 1
                    case "MIXED": entry.countMixedBasedLoggingReplicas += 1
                    case "ROW": entry.countRowBasedLoggingReplicas += 1
                    default: break
                    }
                }
                if replica.sqlDelay > 0 { entry.countDelayedReplicas += 1 }
                if let lag = replica.replicationLagSeconds, lag > configuration.reasonableReplicationLagSeconds { entry.countLaggingReplicas += 1 }
                gtidModes.append(replica.gtidMode)
            }
            entry.countValidReplicas = validReplicas.count
            entry.countDistinctMajorVersionsLoggingReplicas = loggingMajorVersions.count
            entry.minReplicaGTIDMode = gtidModes.min() ?? ""
            entry.maxReplicaGTIDMode = gtidModes.max() ?? ""
            entry.maxReplicaGTIDErrant = errant.max() ?? ""
            if !validReplicas.isEmpty {
                entry.oracleGTIDImmediateTopology = validReplicas.allSatisfy { snapshot.instances[$0].usingOracleGTID }
                entry.mariaDBGTIDImmediateTopology = validReplicas.allSatisfy { snapshot.instances[$0].usingMariaDBGTID }
                entry.binlogServerImmediateTopology = validReplicas.allSatisfy { binlogServer[$0] }
            }
        }
    }
}
