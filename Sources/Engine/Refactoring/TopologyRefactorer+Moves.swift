import Foundation
import MySQLClient
import Topology

/// What a bulk move did: the replicas moved (as re-read afterwards) and why the others did not.
package struct BulkMoveResult: Sendable {
    package var moved: [Instance]
    package var errors: [String]
}

/// What `regroup-replicas` did.
package struct RegroupResult: Sendable {
    package var promoted: Instance
    package var moved: [InstanceKey]
    /// Replicas left where they were, each with why.
    package var lost: [LostReplica]
    package var errors: [String]
}

/// The topology refactoring operations (`refactoring.md` §4), as the API and the CLI ask for them.
extension TopologyRefactorer {
    /// `relocate`: below `target`, by whichever method applies.
    package func relocate(_ key: InstanceKey, below target: InstanceKey) async throws(RefactoringError) -> Instance {
        try await single("relocate-below", key, target, "relocated below \(target)") { snapshot, policy throws(RefactoringRefusal) in
            try RefactoringRules.relocate(key, below: target, in: snapshot, policy: policy)
        }
    }

    /// `move-below`: below a sibling.
    package func moveBelow(_ key: InstanceKey, sibling: InstanceKey) async throws(RefactoringError) -> Instance {
        try await single("move-below", key, sibling, "moved below \(sibling)") { snapshot, policy throws(RefactoringRefusal) in
            try RefactoringRules.moveBelow(key, sibling: sibling, in: snapshot, policy: policy)
        }
    }

    /// `move-below-gtid` (and the client's `move-gtid`): below `target` by GTID only.
    package func moveBelowGTID(_ key: InstanceKey, below target: InstanceKey) async throws(RefactoringError) -> Instance {
        try await single("move-below-gtid", key, target, "moved below \(target) via GTID") { snapshot, policy throws(RefactoringRefusal) in
            try RefactoringRules.moveBelowGTID(key, below: target, in: snapshot, policy: policy)
        }
    }

    /// `move-up`: below its master's master.
    package func moveUp(_ key: InstanceKey) async throws(RefactoringError) -> Instance {
        try await single("move-up", key, nil, "moved up") { snapshot, policy throws(RefactoringRefusal) in
            try RefactoringRules.moveUp(key, in: snapshot, policy: policy)
        }
    }

    /// `repoint`: to `target` (default: its own master) at its executed position.
    package func repoint(_ key: InstanceKey, to target: InstanceKey?) async throws(RefactoringError) -> Instance {
        try await single("repoint", key, target, "repointed below \(target?.description ?? "its master")") { snapshot, policy throws(RefactoringRefusal) in
            try RefactoringRules.repoint(key, to: target, in: snapshot, policy: policy)
        }
    }

    /// One move: fresh facts, rules, locks, statements, a re-probe, one audit entry.
    private func single(
        _ type: String, _ key: InstanceKey, _ target: InstanceKey?, _ message: String,
        _ decide: (RefactoringSnapshot, RefactoringPolicy) throws(RefactoringRefusal) -> Relocation
    ) async throws(RefactoringError) -> Instance {
        try await audited(type, key, success: { (_: Instance) in message }) { () throws(RefactoringError) in
            let snapshot = try await freshSnapshot(probing: [key] + (target.map { [$0] } ?? []))
            let move: Relocation
            do throws(RefactoringRefusal) { move = try decide(snapshot, policy) } catch { throw .refused(error) }
            try await withMaintenanceLocks(locks(for: move)) { () throws(RefactoringError) in
                try await execute(move)
            }
            await refresh([move.instance, move.target, move.currentMaster])
            return try await known(key)
        }
    }

    // MARK: Bulk

    /// `relocate-replicas`: the replicas of `key` (matching `pattern`) below `target`.
    package func relocateReplicas(of key: InstanceKey, below target: InstanceKey, pattern: String) async throws(RefactoringError) -> BulkMoveResult {
        try await bulk("relocate-replicas", key, probing: [key, target] + (await replicaKeys(of: key))) { snapshot, policy throws(RefactoringRefusal) in
            try RefactoringRules.relocateReplicas(of: key, below: target, pattern: pattern, in: snapshot, policy: policy)
        }
    }

    /// `move-up-replicas`: the replicas of `key` (matching `pattern`) below its master.
    package func moveUpReplicas(of key: InstanceKey, pattern: String) async throws(RefactoringError) -> BulkMoveResult {
        try await bulk("move-up-replicas", key, probing: [key] + (await replicaKeys(of: key))) { snapshot, policy throws(RefactoringRefusal) in
            try RefactoringRules.moveUpReplicas(of: key, pattern: pattern, in: snapshot, policy: policy)
        }
    }

    /// `move-replicas-gtid`: the replicas of `key` (matching `pattern`) below `target` by GTID.
    package func moveReplicasGTID(of key: InstanceKey, below target: InstanceKey, pattern: String) async throws(RefactoringError) -> BulkMoveResult {
        try await bulk("move-replicas-gtid", key, probing: [key, target] + (await replicaKeys(of: key))) { snapshot, policy throws(RefactoringRefusal) in
            let all = try RefactoringRules.relocateReplicas(of: key, below: target, pattern: pattern, in: snapshot, policy: policy)
            var gtidOnly = ReplicaRelocations(moves: all.moves.filter(\.method.usesGTID), refusals: all.refusals)
            for move in all.moves where !move.method.usesGTID {
                gtidOnly.refusals.append(RefactoringRefusal(
                    operation: .move(move.instance, below: target), reasons: ["\(move.instance) does not replicate with GTID"]
                ))
            }
            if gtidOnly.moves.isEmpty, !gtidOnly.refusals.isEmpty {
                throw RefactoringRefusal(operation: .moveReplicas(of: key, below: target), reasons: gtidOnly.refusals.flatMap(\.reasons))
            }
            return gtidOnly
        }
    }

    /// `take-siblings`: the siblings of `key` below it.
    package func takeSiblings(_ key: InstanceKey) async throws(RefactoringError) -> BulkMoveResult {
        try await bulk("take-siblings", key, probing: [key] + (await siblingKeys(of: key))) { snapshot, policy throws(RefactoringRefusal) in
            try RefactoringRules.takeSiblings(key, in: snapshot, policy: policy)
        }
    }

    /// `repoint-replicas`: the replicas of `key` (matching `pattern`) repointed to it again.
    package func repointReplicas(of key: InstanceKey, pattern: String) async throws(RefactoringError) -> BulkMoveResult {
        try await bulk("repoint-to", key, probing: [key] + (await replicaKeys(of: key))) { snapshot, policy throws(RefactoringRefusal) in
            try RefactoringRules.repointReplicas(of: key, pattern: pattern, in: snapshot, policy: policy)
        }
    }

    private func replicaKeys(of key: InstanceKey) async -> [InstanceKey] {
        await registry.replicas(of: key).map(\.key)
    }

    private func siblingKeys(of key: InstanceKey) async -> [InstanceKey] {
        guard let master = await registry.instance(key)?.masterKey, master.port != 0 else { return [] }
        return await replicaKeys(of: master)
    }

    /// Moves what the rules allow: GTID moves concurrently (at most
    /// `MaxConcurrentReplicaOperations` at once), coordinate moves one after the other (each
    /// stops its target). Fails only when no replica moved.
    private func bulk(
        _ type: String, _ key: InstanceKey, probing: [InstanceKey],
        _ decide: (RefactoringSnapshot, RefactoringPolicy) throws(RefactoringRefusal) -> ReplicaRelocations
    ) async throws(RefactoringError) -> BulkMoveResult {
        try await audited(type, key, success: { (result: BulkMoveResult) in
            "moved \(result.moved.map(\.key.description).joined(separator: ", ")); \(result.errors.count) errors: \(result.errors)"
        }) { () throws(RefactoringError) in
            let snapshot = try await freshSnapshot(probing: probing)
            let plan: ReplicaRelocations
            do throws(RefactoringRefusal) { plan = try decide(snapshot, policy) } catch { throw .refused(error) }
            var errors = plan.refusals.map(\.description)
            var moved: [InstanceKey] = []
            let (concurrent, sequential) = (plan.moves.filter(\.method.usesGTID), plan.moves.filter { !$0.method.usesGTID })
            for outcome in await movesConcurrently(concurrent) {
                switch outcome {
                case let .success(key): moved.append(key)
                case let .failure(error): errors.append("\(error)")
                }
            }
            for move in sequential {
                do {
                    try await withMaintenanceLocks(locks(for: move)) { () throws(RefactoringError) in try await execute(move) }
                    moved.append(move.instance)
                } catch {
                    errors.append("\(error)")
                }
            }
            await refresh(plan.moves.flatMap { [$0.instance, $0.target, $0.currentMaster] })
            guard !moved.isEmpty || plan.moves.isEmpty else {
                throw .invalid("no replica of \(key) moved: \(errors.joined(separator: "; "))")
            }
            var instances: [Instance] = []
            for key in moved.sorted(by: { $0.description < $1.description }) {
                if let instance = await registry.instance(key) { instances.append(instance) }
            }
            return BulkMoveResult(moved: instances, errors: errors)
        }
    }

    /// Runs GTID moves, each under its own lock, at most `maxConcurrentReplicaOperations` at a time.
    func movesConcurrently(_ moves: [Relocation]) async -> [Result<InstanceKey, RefactoringError>] {
        let limit = max(1, configuration.maxConcurrentReplicaOperations)
        return await withTaskGroup(of: Result<InstanceKey, RefactoringError>.self) { group in
            var results: [Result<InstanceKey, RefactoringError>] = []
            var pending = moves[...]
            func startNext() {
                guard let move = pending.popFirst() else { return }
                group.addTask {
                    do throws(RefactoringError) {
                        try await self.withMaintenanceLocks(self.locks(for: move)) { () throws(RefactoringError) in try await self.execute(move) }
                        return .success(move.instance)
                    } catch {
                        return .failure(error)
                    }
                }
            }
            for _ in 0..<limit { startNext() }
            for await result in group {
                results.append(result)
                startNext()
            }
            return results
        }
    }

    // MARK: Masters

    /// `take-master`: `key` swaps places with its master.
    package func takeMaster(_ key: InstanceKey) async throws(RefactoringError) -> Instance {
        try await audited("take-master", key, success: { (_: Instance) in "took its master" }) { () throws(RefactoringError) in
            let master = await registry.instance(key)?.masterKey
            let snapshot = try await freshSnapshot(probing: [key] + (master.map { $0.port == 0 ? [] : [$0] } ?? []))
            let swap: MasterSwap
            do throws(RefactoringRefusal) { swap = try RefactoringRules.takeMaster(key, in: snapshot, policy: policy) } catch { throw .refused(error) }
            try await withMaintenanceLocks([(swap.instance, "take master"), (swap.master, "taken over by \(swap.instance)")]) { () throws(RefactoringError) in
                try await execute(swap)
            }
            await refresh([swap.instance, swap.master, swap.grandmaster])
            await runPostTakeMasterProcesses(successor: swap.instance, demoted: swap.master)
            return try await known(key)
        }
    }

    /// `make-co-master`: `key`'s master replicates from `key`.
    package func makeCoMaster(_ key: InstanceKey) async throws(RefactoringError) -> Instance {
        try await audited("make-co-master", key, success: { (_: Instance) in "made co-master" }) { () throws(RefactoringError) in
            let snapshot = try await freshSnapshot(probing: [key])
            let link: CoMasterLink
            do throws(RefactoringRefusal) { link = try RefactoringRules.makeCoMaster(key, in: snapshot, policy: policy) } catch { throw .refused(error) }
            let credentials = try await coMasterCredentials(link, snapshot: snapshot)
            try await withMaintenanceLocks([(link.instance, "make co-master"), (link.master, "co-master with \(link.instance)")]) { () throws(RefactoringError) in
                try await execute(link, credentials: credentials)
            }
            await refresh([link.instance, link.master])
            return try await known(key)
        }
    }

    /// `PostTakeMasterProcesses`: `$1` the successor, `$2` the demoted master; never affects
    /// the operation (orchestrator's special case, `hooks.md` §6).
    private func runPostTakeMasterProcesses(successor: InstanceKey, demoted: InstanceKey) async {
        guard !configuration.postTakeMasterProcesses.isEmpty else { return }
        let context = HookContext(
            placeholders: [:], environment: ["ORC_SUCCESSOR_HOST": successor.description, "ORC_FAILED_HOST": demoted.description]
        )
        let arguments = "set -- '\(successor.description.replacingOccurrences(of: "'", with: ""))' '\(demoted.description.replacingOccurrences(of: "'", with: ""))'; "
        _ = await hooks.run("PostTakeMasterProcesses", commands: configuration.postTakeMasterProcesses.map { arguments + $0 }, context: context, failFast: false)
    }

    /// The replication user the master needs to replicate from `link.instance`: none when it
    /// already has one, else `ReplicationCredentialsQuery` run on the instance. Asked before
    /// anything is touched, so a missing user refuses the operation cleanly.
    private func coMasterCredentials(_ link: CoMasterLink, snapshot: RefactoringSnapshot) async throws(RefactoringError) -> MySQLCredentials? {
        if snapshot[link.master]?.hasReplicationCredentials == true { return nil }
        guard !configuration.replicationCredentialsQuery.isEmpty else {
            throw .invalid(
                "cannot make \(link.instance) a co-master: \(link.master) has no replication user to connect with; set ReplicationCredentialsQuery"
            )
        }
        do {
            return try await operations.replicationCredentials(link.instance, query: configuration.replicationCredentialsQuery)
        } catch {
            throw .failed(error)
        }
    }

    /// `regroup-replicas`: the most advanced replica of `key` becomes the master of its siblings.
    package func regroupReplicas(of key: InstanceKey) async throws(RefactoringError) -> RegroupResult {
        try await audited("regroup-replicas", key, success: { (result: RegroupResult) in
            "promoted \(result.promoted.key); moved \(result.moved.count), lost \(result.lost.count)"
        }) { () throws(RefactoringError) in
            let replicas = await registry.replicas(of: key).map(\.key)
            let snapshot = try await freshSnapshot(probing: replicas)
            let plan: RegroupPlan
            do throws(RefactoringRefusal) { plan = try RefactoringRules.regroupReplicas(of: key, in: snapshot, policy: policy) } catch { throw .refused(error) }
            guard let candidate = plan.candidate else { throw .invalid("\(key) has no replicas to regroup") }
            var moved: [InstanceKey] = []
            var errors: [String] = []
            for outcome in await movesConcurrently(plan.moves.filter(\.method.usesGTID)) {
                switch outcome {
                case let .success(key): moved.append(key)
                case let .failure(error): errors.append("\(error)")
                }
            }
            for move in plan.moves where !move.method.usesGTID {
                do {
                    try await withMaintenanceLocks(locks(for: move)) { () throws(RefactoringError) in try await execute(move) }
                    moved.append(move.instance)
                } catch {
                    errors.append("\(error)")
                }
            }
            await refresh([candidate] + plan.moves.map(\.instance))
            return RegroupResult(promoted: try await known(candidate), moved: moved, lost: plan.lost, errors: errors)
        }
    }
}
