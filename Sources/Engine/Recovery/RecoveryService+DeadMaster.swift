import Foundation
import Store
import Topology

extension RecoveryService {
    /// `recovery.md` §5, reordered for speed and safety: stop the replicas' IO threads, re-read
    /// them, plan, let the chosen replica apply its relay log (after catching up from a more
    /// advanced one if needed), make it writable, and only then rewire the others, concurrently.
    func recoverDeadMaster(
        _ entry: ReplicationAnalysis, record: TopologyRecovery, journal: RecoveryJournal, skipProcesses: Bool, candidate: InstanceKey?
    ) async -> TopologyRecovery {
        var record = record
        let failed = entry.analyzedInstanceKey
        let successHooks = (name: "PostMasterFailoverProcesses", commands: configuration.postMasterFailoverProcesses)
        // Read before any hook runs or any server is touched: without them a `must_not`
        // replica could be promoted.
        let rules: [InstanceKey: PromotionRule]
        do {
            rules = try await promotionRules()
        } catch {
            await journal.fail("cannot read the promotion rules, so no replica is promoted: \(error)")
            return await resolve(record, entry: entry, journal: journal, skipProcesses: skipProcesses, successHooks: successHooks)
        }
        if let vetoed = await begin(entry, record: record, journal: journal, skipProcesses: skipProcesses, successHooks: successHooks) {
            return vetoed
        }

        let deadMaster = await registry.instance(failed)
        let known = await registry.replicas(of: failed).map(\.key)
        await journal.record(RecoveryStep.stopIOThreads(known).description)
        await forEachConcurrently(known) { key in
            do { try await self.operations.stopIOThread(key) } catch { await journal.record("could not stop the IO thread: \(error)") }
        }
        // Fresh facts: what each replica received and applied, now that nothing more arrives.
        let replicas = applying(rules, to: await refreshAll(known))
        let policy = configuration.policy
        let plan: MasterRecoveryPlan
        do {
            plan = try MasterRecoveryPlanner.plan(failedMaster: failed, deadMaster: deadMaster, replicas: candidate.map { designate($0, in: replicas) } ?? replicas, policy: policy)
        } catch {
            await journal.fail(error.description)
            return await resolve(record, entry: entry, journal: journal, skipProcesses: skipProcesses, successHooks: successHooks)
        }
        record.planSummary = Self.summary(of: plan)
        await journal.record("plan: \(record.planSummary)")
        if entry.analysis.isCoMasterFailure, plan.promoted != entry.analyzedInstanceMasterKey {
            // Promoting anyone else would leave the partner writable beside the new master.
            await journal.fail("the other co-master \(entry.analyzedInstanceMasterKey) cannot be promoted; no other replica is promoted while it may take writes")
            return await resolve(record, entry: entry, journal: journal, skipProcesses: skipProcesses, successHooks: successHooks)
        }
        record.participatingInstances = [plan.promoted] + plan.rewired

        let byKey = Dictionary(replicas.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var lost = plan.lost.map(\.key)
        for step in plan.steps {
            // Each step acts only while the term this recovery started under still holds.
            guard await fenceHolds(journal) else {
                return await resolve(record, entry: entry, journal: journal, skipProcesses: skipProcesses, successHooks: successHooks)
            }
            switch step {
            case .stopIOThreads:
                continue
            case .catchUp(let replica, let relay):
                await journal.record(step.description)
                do {
                    _ = try await operations.applyRelayLog(relay)
                    if try await !operations.catchUp(replica, from: relay) {
                        await journal.fail("\(replica) did not catch up from \(relay) within \(operations.waitTimeoutSeconds) s; promoting it anyway")
                    }
                } catch {
                    await journal.fail("two-step promotion through \(relay) failed: \(error); promoting \(replica) as it is")
                }
            case .applyRelayLog(let replica):
                await journal.record(step.description)
                if let failure = await applyRelayLog(replica, journal: journal) {
                    await journal.fail(failure)
                    return await resolve(record, entry: entry, journal: journal, skipProcesses: skipProcesses, successHooks: successHooks)
                }
            case .promote(let replica):
                await journal.record(step.description)
                do {
                    let promoted = try await operations.promote(replica)
                    if let detectedAt = journal.detectedAt, record.type == RecoveryFlow.master.recoveryTypeName {
                        metrics.detectionToWritable(ContinuousClock.now - detectedAt)
                    }
                    await journal.record("\(replica) is writable")
                    record.successor = replica
                    record.successorAlias = byKey[replica]?.instanceAlias ?? ""
                    record.successorBinlogCoordinates = promoted.coordinates
                    var newMaster = byKey[replica] ?? Instance(key: replica)
                    newMaster.gtidCurrentPos = promoted.gtidCurrentPos
                    record.lostTransactions = LostTransactions.report(oldMaster: deadMaster, newMaster: newMaster)
                    if !record.lostTransactions.isEmpty { await journal.record("transactions lost: \(record.lostTransactions)") }
                } catch {
                    await journal.fail(error.description)
                    return await resolve(record, entry: entry, journal: journal, skipProcesses: skipProcesses, successHooks: successHooks)
                }
            case .rewire(let keys, let master, let method):
                await journal.record(step.description)
                let failures = await rewire(keys, under: master, method: method, coordinates: record.successorBinlogCoordinates, journal: journal)
                lost += failures
                record.participatingInstances.removeAll { failures.contains($0) }
            case .detachLost(let keys):
                await journal.record(step.description)
                await forEachConcurrently(keys) { key in
                    do { try await self.operations.detach(key, from: failed) } catch { await journal.record("could not detach: \(error)") }
                }
            }
        }
        record.lostReplicas = lost
        refreshInBackground([failed] + replicas.map(\.key))
        return await resolve(record, entry: entry, journal: journal, skipProcesses: skipProcesses, successHooks: successHooks)
    }

    /// Lets `replica` apply its relay log; returns why promotion must not go on, if it must not.
    private func applyRelayLog(_ replica: InstanceKey, journal: RecoveryJournal) async -> String? {
        do {
            var applied = try await operations.applyRelayLog(replica)
            if !applied, configuration.delayMasterPromotionIfSQLThreadNotUpToDate {
                await journal.record("\(replica) has not applied its relay log yet; waiting (DelayMasterPromotionIfSQLThreadNotUpToDate)")
                applied = try await operations.applyRelayLog(replica)
            }
            guard applied else {
                if configuration.failMasterPromotionIfSQLThreadNotUpToDate || configuration.delayMasterPromotionIfSQLThreadNotUpToDate {
                    return "\(replica) did not apply its relay log in time: not promoted (FailMasterPromotionIfSQLThreadNotUpToDate)"
                }
                await journal.fail("\(replica) did not apply its whole relay log within \(operations.waitTimeoutSeconds) s; promoting it anyway")
                return nil
            }
            return nil
        } catch {
            return error.description
        }
    }

    /// Points `keys` at `master`, at most `MaxConcurrentReplicaOperations` at a time; returns the ones that failed.
    func rewire(_ keys: [InstanceKey], under master: InstanceKey, method: RewireMethod, coordinates: BinlogCoordinates?, journal: RecoveryJournal) async -> [InstanceKey] {
        let failures = await forEachConcurrently(keys) { key -> InstanceKey? in
            do {
                try await self.operations.repoint(key, to: master, method: method, coordinates: coordinates)
                return nil
            } catch {
                await journal.fail("\(error)")
                return key
            }
        }
        return failures.compactMap { $0 }
    }

    /// Re-probes `keys` at once; an unreachable one keeps its previous facts, marked as failed.
    func refreshAll(_ keys: [InstanceKey]) async -> [Instance] {
        await forEachConcurrently(keys) { key in await self.discovery.refresh(key) }.compactMap { $0 }
    }

    /// The topology changed: re-read the servers involved now rather than at their next poll.
    func refreshInBackground(_ keys: [InstanceKey]) {
        inBackground { _ = await self.refreshAll(keys) }
    }

    /// Registered promotion rules (`register-candidate`) applied to fresh instances.
    /// The promotion rules registered within `CandidateInstanceExpireMinutes`. A failure to read
    /// them stops the caller: without them a `must_not` replica could be promoted.
    package func promotionRules() async throws(StoreError) -> [InstanceKey: PromotionRule] {
        try await store.promotionRules(registeredSince: clock.now.addingTimeInterval(-configuration.candidateInstanceExpireMinutes * 60))
    }

    /// `instances` with their registered promotion rules.
    func applying(_ rules: [InstanceKey: PromotionRule], to instances: [Instance]) -> [Instance] {
        instances.map { instance in
            var instance = instance
            if let rule = rules[instance.key] { instance.promotionRule = rule }
            return instance
        }
    }

    /// An operator-designated candidate outranks every promotion rule.
    private func designate(_ candidate: InstanceKey, in replicas: [Instance]) -> [Instance] {
        replicas.map { replica in
            var replica = replica
            if replica.key == candidate { replica.promotionRule = .must } else if replica.promotionRule == .must { replica.promotionRule = .prefer }
            return replica
        }
    }

    static func summary(of plan: MasterRecoveryPlan) -> String {
        var parts = ["promote \(plan.promoted) (\(plan.choice.decidedBy))"]
        if let relay = plan.choice.relay { parts.append("after catching up from \(relay)") }
        parts.append("rewire \(plan.rewired.isEmpty ? "none" : plan.rewired.map(\.description).joined(separator: ", ")) (\(plan.method.rawValue))")
        if !plan.lost.isEmpty { parts.append("lost: " + plan.lost.map(\.description).joined(separator: "; ")) }
        if !plan.choice.excluded.isEmpty { parts.append("not promotable: " + plan.choice.excluded.map(\.description).joined(separator: "; ")) }
        return parts.joined(separator: "; ")
    }

    /// Runs `body` for every item, at most `MaxConcurrentReplicaOperations` at a time; results in item order.
    @discardableResult
    func forEachConcurrently<T: Sendable>(_ items: [InstanceKey], _ body: @escaping @Sendable (InstanceKey) async -> T) async -> [T] {
        let limit = max(1, configuration.maxConcurrentReplicaOperations)
        return await withTaskGroup(of: (Int, T).self) { group in
            var results: [T?] = Array(repeating: nil, count: items.count)
            var next = 0
            while next < min(limit, items.count) {
                let index = next
                group.addTask { (index, await body(items[index])) }
                next += 1
            }
            for await (index, result) in group {
                results[index] = result
                if next < items.count {
                    let index = next
                    group.addTask { (index, await body(items[index])) }
                    next += 1
                }
            }
            return results.compactMap { $0 }
        }
    }
}
