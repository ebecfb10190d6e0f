import Foundation
import Store
import Topology

/// How a recovery ends, whatever its flow: the record ended and shared, the new master
/// published (KV) and heading its cluster's alias, the servers left behind downtimed, the post
/// hooks started.
extension RecoveryService {
    /// How the event published once a recovery's record is ended begins.
    static let endedMessagePrefix = "recovery ended: "

    /// Ends the recovery record and runs the post hooks in the background.
    func resolve(_ record: TopologyRecovery, entry: ReplicationAnalysis, journal: RecoveryJournal, skipProcesses: Bool, successHooks: (name: String, commands: [String])) async -> TopologyRecovery {
        // A node that lost its leadership meanwhile publishes nothing, downtimes nothing and
        // runs no hook: the new leader answers for the cluster now.
        let holds = await fenceHolds(journal)
        let skipProcesses = skipProcesses || !holds
        var record = record
        record.allErrors = journal.allErrors
        record.isSuccessful = record.successor != nil
        record.endRecovery = clock.now
        if holds, record.type == RecoveryFlow.master.recoveryTypeName, let successor = record.successor {
            // Master discovery (KV) first, in the background: it waits for nothing below.
            publishMaster(successor, clusterAlias: entry.clusterDetails.clusterAlias.isEmpty ? entry.clusterDetails.clusterName : entry.clusterDetails.clusterAlias, journal: journal)
            // Before the recovery is marked ended, the picture shows the new master heading its
            // own cluster and the alias naming it: whoever sees the recovery ended finds the
            // new master by alias (`which-cluster-master -alias`, the web page).
            _ = await discovery.refresh(successor)
            await moveClusterAlias(entry.clusterDetails, to: successor, journal: journal)
        }
        // The failed master and every replica left behind stay out of automatic recoveries until
        // they are back (recovery.md §14), whether the recovery succeeded or not.
        // A graceful takeover leaves no failed server behind: its old master is healthy. Before
        // the record is ended: whoever sees the recovery over finds them downtimed.
        if holds, record.type == RecoveryFlow.master.recoveryTypeName, !record.commandHint.hasPrefix("graceful-master-takeover"), let downtimes {
            await downtimes.downtimeLostInRecovery([record.key] + record.lostReplicas, at: clock.now)
        }
        await journal.record(record.isSuccessful ? "recovered: \(record.successor?.description ?? "") took over" : "recovery failed")
        do {
            try await store.resolveRecovery(record, at: record.endRecovery ?? clock.now)
            if holds { await shareOutcome(record) }
        } catch {
            logger.error("cannot record the end of a recovery", metadata: [
                "recovery_id": "\(record.uid)", "instance": "\(record.key)", "cluster": "\(record.clusterName)", "analysis": "\(record.analysis)", "error": "\(error)",
            ])
        }
        // After the store has it: whoever follows events (the deposed-master fence, the web
        // page) reads the ended record.
        registry.events.publish(.recovery(
            uid: record.uid, cluster: record.clusterName, message: Self.endedMessagePrefix + (record.isSuccessful ? "successful" : "failed")
        ))
        await AuditLog(store: store, logger: logger).write(AuditEntry(
            timestamp: clock.now, type: "recover-\(record.type == "MasterRecovery" ? "dead-master" : "dead-intermediate-master")", instanceKey: record.key,
            message: record.isSuccessful
                ? "\(record.analysis) on \(record.key) recovered: \(record.successor?.description ?? "") took over; lost replicas: \(record.lostReplicas.count)"
                : "\(record.analysis) on \(record.key) not recovered: \(record.allErrors.joined(separator: "; "))"
        ))
        guard !skipProcesses else { return record }
        let successor = record.successor.map { (key: $0, alias: record.successorAlias, coordinates: record.successorBinlogCoordinates) }
        let context = HookContext.failure(
            entry, orchestratorHost: configuration.nodeHostname, recoveryUID: record.uid, successor: successor, lostReplicas: record.lostReplicas
        )
        let lists: [(String, [String])] = record.isSuccessful
            ? [successHooks, ("PostFailoverProcesses", configuration.postFailoverProcesses)]
            : [("PostUnsuccessfulFailoverProcesses", configuration.postUnsuccessfulFailoverProcesses)]
        inBackground {
            for (name, commands) in lists where !commands.isEmpty {
                await journal.record("running \(name)")
                for outcome in await self.hooks.run(name, commands: commands, context: context, failFast: false) where !outcome.succeeded && !outcome.isAsynchronous {
                    await journal.record("\(name) hook failed: \(outcome.command) (exit \(outcome.exitStatus.map(String.init) ?? "none"))")
                }
            }
        }
        return record
    }

    /// The cluster's alias names the promoted master's cluster from now on (recovery.md §5.1
    /// 6d), so `-alias X` finds the new master and the failed master's leftover cluster no longer
    /// claims it. Without an alias the cluster name (the master's key) follows by itself.
    func moveClusterAlias(_ details: AnalysisClusterDetails, to successor: InstanceKey, journal: RecoveryJournal) async {
        let alias = details.clusterAlias, newCluster = successor.description
        guard !alias.isEmpty, alias != details.clusterName, newCluster != details.clusterName else { return }
        do {
            try await store.moveClusterAlias(alias, from: details.clusterName, to: newCluster)
            await registry.moveAlias(alias, from: details.clusterName, to: newCluster)
            await journal.record("cluster alias \(alias) now names \(newCluster)")
        } catch {
            // The servers are already switched over: the failover stands, the alias lags behind.
            await journal.record("cannot move cluster alias \(alias) to \(newCluster): \(error)")
        }
    }

    /// Master discovery learns the new master in the background: a slow or dead KV store never
    /// delays the recovery; its failure is recorded as a step, audited and retried.
    func publishMaster(_ master: InstanceKey, clusterAlias: String, journal: RecoveryJournal) {
        guard let kv else { return }
        inBackground {
            let pairs = await kv.pairs(clusterAlias: clusterAlias, master: master)
            let failures = await kv.publish(pairs, reason: "recovery \(journal.uid)")
            let written = kv.stores.map(\.name).filter { name in !failures.contains { $0.store == name } }
            await journal.record("KV: \(pairs.first?.description ?? "") written to the internal store\(written.isEmpty ? "" : ", " + written.joined(separator: ", "))")
            for failure in failures { await journal.record("KV write failed (retrying): \(failure)") }
        }
    }
}
