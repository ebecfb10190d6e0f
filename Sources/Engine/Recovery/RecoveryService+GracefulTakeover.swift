import Foundation
import MySQLClient
import Store
import Topology

/// Why a graceful takeover was refused or failed.
package struct TakeoverError: Error, Sendable, Equatable, CustomStringConvertible {
    package var description: String
    /// The recovery record, once one was registered.
    package var recovery: TopologyRecovery?

    init(_ description: String, recovery: TopologyRecovery? = nil) {
        self.description = description
        self.recovery = recovery
    }
}

extension RecoveryService {
    /// A planned switchover that loses nothing (`recovery.md` §13): the master stops taking
    /// writes, the designated replica applies everything it wrote, becomes the master, the other
    /// replicas follow it, and the old master replicates from it. `designated` nil: the only
    /// replica, or with `auto` the one a failover would promote.
    package func gracefulMasterTakeover(clusterName: String, designated: InstanceKey?, auto: Bool) async throws(TakeoverError) -> TopologyRecovery {
        guard let master = await registry.masterInstance(ofCluster: clusterName), !master.readOnly else {
            throw TakeoverError("cluster \(clusterName) has no writable master")
        }
        let rules: [InstanceKey: PromotionRule]
        do {
            rules = try await promotionRules()
        } catch {
            throw TakeoverError("cannot read the promotion rules: \(error)")
        }
        let replicas = applying(rules, to: await refreshAll(await registry.replicas(of: master.key).map(\.key)))
        let chosen: Instance
        do {
            chosen = try TakeoverDesignation.choose(master: master, replicas: replicas, designated: designated, auto: auto, policy: configuration.policy)
        } catch {
            throw TakeoverError(error.description)
        }
        let lag = chosen.secondsBehindMaster ?? Int64.max
        guard chosen.isReplicationRunning, lag <= Int64(configuration.reasonableMaintenanceReplicationLagSeconds) else {
            throw TakeoverError("\(chosen.key) is not replicating within \(configuration.reasonableMaintenanceReplicationLagSeconds) s of \(master.key) (ReasonableMaintenanceReplicationLagSeconds)")
        }
        guard chosen.usingMariaDBGTID else { throw TakeoverError("\(chosen.key) does not use MariaDB GTID; graceful takeover needs it") }
        // The old master will need replication credentials: fail now rather than half-way.
        var credentials: MySQLCredentials?
        if !configuration.replicationCredentialsQuery.isEmpty {
            do {
                credentials = try await operations.replicationCredentials(chosen.key, query: configuration.replicationCredentialsQuery)
            } catch {
                throw TakeoverError(error.description)
            }
        } else if !master.hasReplicationCredentials {
            throw TakeoverError("\(master.key) has no replication user to replicate from \(chosen.key) afterwards: set ReplicationCredentialsQuery")
        }

        var entry = await currentEntry(for: master, clusterName: clusterName)
        entry.analysis = .deadMaster
        entry.commandHint = "graceful-master-takeover"
        if !configuration.preGracefulTakeoverProcesses.isEmpty {
            let context = HookContext.failure(entry, orchestratorHost: configuration.nodeHostname, recoveryUID: "", successor: (chosen.key, chosen.instanceAlias, nil))
            if let veto = await runVetoingHooks("PreGracefulTakeoverProcesses", configuration.preGracefulTakeoverProcesses, context: context) {
                throw TakeoverError(veto)
            }
        }
        let record = TopologyRecovery(
            uid: RecoveryJournal.newUID(now: clock.now), key: master.key, analysis: AnalysisCode.deadMaster.rawValue, clusterName: clusterName,
            clusterAlias: entry.clusterDetails.clusterAlias, replicas: replicas.map(\.key), type: "MasterRecovery", recoveryType: "MasterRecoveryGTID",
            commandHint: entry.commandHint, startActivePeriod: clock.now, processingNodeHostname: configuration.nodeHostname, processingNodeToken: configuration.nodeToken
        )
        let registered: TopologyRecovery
        do {
            guard case .registered(let row) = try await store.registerRecovery(record, blockOnRecentSuccessor: false, blockOnActiveCluster: false, forced: true) else {
                throw TakeoverError("a recovery of \(master.key) is already active")
            }
            registered = row
        } catch let error as TakeoverError {
            throw error
        } catch {
            throw TakeoverError("cannot register the takeover: \(error)")
        }
        let journal = RecoveryJournal(uid: registered.uid, entry: entry, clock: clock, store: store, events: registry.events, logger: logger)
        // Shared with the other nodes like a recovery: every node's audit-recovery shows it, and
        // a leader that takes over while it runs finds it half-done.
        guard await share(registered, journal: journal), await shareActing(registered, journal: journal) else {
            let resolved = await resolve(registered, entry: entry, journal: journal, skipProcesses: true, successHooks: ("", []))
            throw TakeoverError("graceful-master-takeover: not run: \(resolved.allErrors.joined(separator: "; "))", recovery: resolved)
        }
        let result = await runTakeover(master: master, chosen: chosen, replicas: replicas, credentials: credentials, record: registered, journal: journal)
        let resolved = await resolve(result, entry: entry, journal: journal, skipProcesses: false, successHooks: (
            name: "PostMasterFailoverProcesses", commands: configuration.postMasterFailoverProcesses
        ))
        metrics.recovery(type: "graceful_takeover", result: resolved.isSuccessful ? "success" : "failure")
        guard resolved.isSuccessful else { throw TakeoverError("graceful-master-takeover: no successor promoted: \(resolved.allErrors.joined(separator: "; "))", recovery: resolved) }
        if !configuration.postGracefulTakeoverProcesses.isEmpty {
            let context = HookContext.failure(
                entry, orchestratorHost: configuration.nodeHostname, recoveryUID: resolved.uid,
                successor: (chosen.key, resolved.successorAlias, resolved.successorBinlogCoordinates), lostReplicas: resolved.lostReplicas
            )
            let hooks = hooks, commands = configuration.postGracefulTakeoverProcesses
            inBackground { _ = await hooks.run("PostGracefulTakeoverProcesses", commands: commands, context: context, failFast: false) }
        }
        return resolved
    }

    private func runTakeover(
        master: Instance, chosen: Instance, replicas: [Instance], credentials: MySQLCredentials?, record: TopologyRecovery, journal: RecoveryJournal
    ) async -> TopologyRecovery {
        var record = record
        record.planSummary = "graceful takeover: \(chosen.key) takes over from \(master.key); rewire \(replicas.map(\.key).filter { $0 != chosen.key }.map(\.description).joined(separator: ", ")); \(master.key) replicates from \(chosen.key)"
        await journal.record("plan: \(record.planSummary)")
        do {
            await journal.record("make \(master.key) read-only")
            try await operations.setReadOnly(master.key, true)
            let position = try await operations.binlogGTIDPosition(master.key)
            await journal.record("wait until \(chosen.key) has applied \(position)")
            guard try await operations.waitUntilApplied(chosen.key, position: position, timeoutSeconds: configuration.reasonableMaintenanceReplicationLagSeconds) else {
                await journal.fail("\(chosen.key) did not apply \(position) within \(configuration.reasonableMaintenanceReplicationLagSeconds) s; \(master.key) is writable again")
                try? await operations.setReadOnly(master.key, false)
                return record
            }
            await journal.record(RecoveryStep.promote(chosen.key).description)
            let promoted = try await operations.promote(chosen.key)
            await journal.record("\(chosen.key) is writable")
            record.successor = chosen.key
            record.successorAlias = chosen.instanceAlias
            record.successorBinlogCoordinates = promoted.coordinates
        } catch {
            await journal.fail(error.description)
            return record
        }
        let others = replicas.map(\.key).filter { $0 != chosen.key }
        if !others.isEmpty {
            await journal.record(RecoveryStep.rewire(others, under: chosen.key, method: .mariaDBGTID).description)
            record.lostReplicas = await rewire(others, under: chosen.key, method: .mariaDBGTID, coordinates: nil, journal: journal)
        }
        await journal.record("point \(master.key) at \(chosen.key)")
        do {
            try await operations.demote(master.key, toReplicaOf: chosen.key, credentials: credentials)
        } catch {
            await journal.fail(error.description)
        }
        record.participatingInstances = [chosen.key, master.key] + others.filter { !record.lostReplicas.contains($0) }
        refreshInBackground([master.key] + replicas.map(\.key))
        return record
    }

    /// The analysis entry of `master` now, whatever its code (for hooks and the record).
    private func currentEntry(for master: Instance, clusterName: String) async -> ReplicationAnalysis {
        let alias = await registry.alias(ofCluster: clusterName)
        var entry = ReplicationAnalysis(
            analyzedInstanceKey: master.key, analyzedInstanceMasterKey: master.masterKey,
            clusterDetails: AnalysisClusterDetails(
                clusterName: clusterName, clusterAlias: alias, clusterDomain: "", hasAutomatedMasterRecovery: false, hasAutomatedIntermediateMasterRecovery: false
            )
        )
        entry.isMaster = true
        entry.replicas = await registry.replicas(of: master.key).map(\.key)
        entry.countReplicas = entry.replicas.count
        return entry
    }
}
