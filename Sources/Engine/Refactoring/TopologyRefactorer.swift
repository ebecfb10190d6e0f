import Foundation
import Logging
import Store
import Topology

/// Carries out topology refactoring and replication control on live servers, in the order
/// DESIGN.md gives: fresh probes of the instances involved → the rules (pure, every violation
/// named) → maintenance locks on the instances changed → audited statements → a re-probe of
/// every touched instance → the answer. Locks are released on every path; a refused operation
/// touches no server; one that fails part-way restarts replication where it stopped it.
package final class TopologyRefactorer: Sendable {
    let registry: InstanceRegistry
    let discovery: DiscoveryService
    let store: SQLiteStore
    /// Where an operator's maintenance locks go (shared through etcd among several nodes).
    let controls: any OperatorControls
    let operations: ReplicationOperations
    let hooks: HookRunner
    let configuration: RefactoringConfiguration
    let logger: Logger
    /// When maintenance locks begin and end, on the same time as the recovery service expires them.
    let clock: any EngineClock

    package init(
        registry: InstanceRegistry, discovery: DiscoveryService, store: SQLiteStore, controls: (any OperatorControls)? = nil,
        operations: ReplicationOperations, hooks: HookRunner, configuration: RefactoringConfiguration, logger: Logger, clock: any EngineClock
    ) {
        self.controls = controls ?? LocalControls(store: store)
        self.clock = clock
        self.hooks = hooks
        self.registry = registry
        self.discovery = discovery
        self.store = store
        self.operations = operations
        self.configuration = configuration
        self.logger = logger
    }

    var policy: RefactoringPolicy { configuration.policy }

    // MARK: Facts

    /// The instance as known; an unknown key is an error naming it.
    func known(_ key: InstanceKey) async throws(RefactoringError) -> Instance {
        guard let instance = await registry.instance(key) else { throw .unknownInstance(key) }
        return instance
    }

    /// Probes `keys`, their masters and their masters' masters (move-up's new source) now,
    /// concurrently, then returns what the rules decide with: every known instance and the
    /// maintenance locks held.
    func freshSnapshot(probing keys: [InstanceKey]) async throws(RefactoringError) -> RefactoringSnapshot {
        var wanted = Set(keys)
        for key in keys {
            guard let instance = await registry.instance(key) else { throw .unknownInstance(key) }
            if instance.masterKey.port != 0, let master = await registry.instance(instance.masterKey) {
                wanted.insert(master.key)
                if master.masterKey.port != 0 { wanted.insert(master.masterKey) }
            }
        }
        await refresh(Array(wanted))
        let now = clock.now
        let maintenance: [MaintenanceEntry]
        do {
            maintenance = try await store.activeMaintenance(at: now)
        } catch {
            throw .store(error)
        }
        return RefactoringSnapshot(
            instances: await registry.allInstances(),
            maintenance: maintenance.map { MaintenanceLock(key: $0.key, owner: $0.owner, reason: $0.reason, beginsAt: $0.beginsAt, endsAt: $0.endsAt) },
            now: now
        )
    }

    /// Re-probes `keys` at once, concurrently, so the registry (and `topology`) shows the result
    /// of an operation as soon as it answers.
    func refresh(_ keys: [InstanceKey]) async {
        await withDiscardingTaskGroup { group in
            for key in Set(keys) where await registry.contains(key) {
                group.addTask { _ = await self.discovery.refresh(key) }
            }
        }
    }

    /// The instance after `refresh`.
    func refreshed(_ key: InstanceKey) async throws(RefactoringError) -> Instance {
        await refresh([key])
        return try await known(key)
    }

    // MARK: Locks and cleanup

    /// Runs `body` holding the maintenance lock of each of `locks` (instance → reason), taken in
    /// key order so two operations never wait on each other crosswise; a lock held by someone
    /// else refuses the whole operation before any server is touched. Every lock taken is
    /// released, whatever `body` does.
    func withMaintenanceLocks<T: Sendable>(
        _ locks: [(InstanceKey, String)], _ body: () async throws(RefactoringError) -> T
    ) async throws(RefactoringError) -> T {
        var taken: [Int64] = []
        func releaseAll() async {
            do {
                // Even when the operation was cancelled (the store's plain writes refuse then).
                try await store.endMaintenanceEvenIfCancelled(ids: taken, at: clock.now)
            } catch {
                // The locks then end at their expiry; say so rather than hide it.
                logger.error("cannot release maintenance locks \(taken)", metadata: ["error": "\(error)"])
            }
        }
        let now = clock.now
        for (key, reason) in locks.sorted(by: { $0.0.description < $1.0.description }) {
            let grant: SQLiteStore.MaintenanceGrant
            do {
                grant = try await store.beginMaintenance(
                    key, owner: "orchestrator", reason: reason, endsAt: now.addingTimeInterval(configuration.lockDuration),
                    isExplicit: false, node: configuration.nodeHostname, at: now
                )
            } catch {
                await releaseAll()
                throw .store(error)
            }
            switch grant {
            case let .granted(entry): taken.append(entry.id)
            case let .refused(conflict):
                await releaseAll()
                throw .locked(conflict)
            }
        }
        do {
            let result = try await body()
            await releaseAll()
            return result
        } catch {
            await releaseAll()
            throw error
        }
    }

    /// Runs `steps`; when one fails, starts replication again on `touched` (what orchestrator's
    /// cleanup does, so a failed move never leaves a replica stopped), then rethrows, naming
    /// any instance whose replication could not be restarted.
    func withCleanup(restarting touched: [InstanceKey], _ steps: () async throws(OperationError) -> Void) async throws(RefactoringError) {
        do {
            try await steps()
        } catch {
            var failure = error
            for key in touched {
                do {
                    try await operations.startReplication(key, requireConnected: false)
                } catch let restart {
                    logger.warning("cleanup could not restart replication", metadata: ["instance": "\(key)", "error": "\(restart)"])
                    failure.reason += "; replication of \(key) could not be restarted: \(restart.reason)"
                }
            }
            throw .failed(failure)
        }
    }

    /// One audit entry for the operation as a whole (`relocate-below`, `move-up`, …).
    func audit(_ type: String, _ key: InstanceKey, _ message: String) async {
        await AuditLog(store: store, logger: logger).record(type, key, message)
    }

    /// Runs an operation and audits its outcome, refusals and failures included: one log line
    /// each, with the instance, its cluster and the outcome (`done`, `refused`, `failed`).
    func audited<T: Sendable>(_ type: String, _ key: InstanceKey, success: (T) -> String, _ body: () async throws(RefactoringError) -> T) async throws(RefactoringError) -> T {
        let cluster = await registry.instance(key)?.clusterName ?? ""
        let auditLog = AuditLog(store: store, logger: logger)
        do {
            let result = try await body()
            await auditLog.record(type, key, success(result), metadata: ["cluster": "\(cluster)", "outcome": "done"])
            return result
        } catch {
            let outcome = error.touchedNoServer ? "refused" : "failed"
            await auditLog.record(type, key, "failed: \(error)", level: .warning, metadata: ["cluster": "\(cluster)", "outcome": "\(outcome)"])
            throw error
        }
    }
}
