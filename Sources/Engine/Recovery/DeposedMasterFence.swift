import Foundation
import Logging
import MySQLClient
import ServiceLifecycle
import Store
import Synchronization
import Topology

/// Keeps every master replaced by a recovery read-only until someone acknowledges that
/// recovery: the moment such a master is probed writable again (it was frozen and thawed, its
/// network came back, it was restarted), it is made read-only and its client sessions are
/// ended, and the audit log and the recovery's steps say so.
package final class DeposedMasterFence: Service, Sendable {
    private let registry: InstanceRegistry
    private let discovery: DiscoveryService
    private let store: SQLiteStore
    private let operations: ReplicationOperations
    private let configuration: RecoveryConfiguration
    private let logger: Logger
    private let clock: any EngineClock
    private let deposed = Mutex<[DeposedMaster]>([])
    /// When fencing each master was last tried, so a failing fence is retried every second, not
    /// on every topology event.
    private let lastAttempt = Mutex<[InstanceKey: Duration]>([:])

    package init(
        registry: InstanceRegistry, discovery: DiscoveryService, store: SQLiteStore, operations: ReplicationOperations,
        configuration: RecoveryConfiguration, logger: Logger, clock: any EngineClock
    ) {
        self.clock = clock
        self.configuration = configuration
        self.registry = registry
        self.discovery = discovery
        self.store = store
        self.operations = operations
        self.logger = logger
    }

    package func run() async throws {
        let events = registry.events.subscribe()
        await reload()
        await withDiscardingTaskGroup { group in
            // Acknowledgements reach the store from the API; re-read now and then.
            group.addTask {
                while !Task.isCancelled {
                    do { try await self.clock.sleep(for: .seconds(2)) } catch { return }
                    await self.reload()
                    await self.check()
                }
            }
            for await event in events.cancelOnGracefulShutdown() {
                switch event {
                case .recovery:
                    await reload()
                    await check()
                case .topology:
                    await check()
                case .analysis:
                    continue
                }
            }
            group.cancelAll()
        }
    }

    /// The masters still to keep read-only, from the store (so a restarted daemon keeps them).
    private func reload() async {
        do {
            var query = RecoveryQuery()
            query.pageSize = 500
            let recoveries = try await store.recoveries(query)
            let pending = DeposedMaster.pending(in: recoveries, masterRecoveryType: RecoveryFlow.master.recoveryTypeName)
            deposed.withLock { $0 = pending }
        } catch {
            logger.error("cannot read recoveries to find deposed masters", metadata: ["error": "\(error)"])
        }
    }

    private func check() async {
        for master in deposed.withLock({ $0 }) where master.mustFence(await registry.instance(master.key)) {
            // Acknowledged a moment ago? Then the old master is the operator's again.
            await reload()
            guard deposed.withLock({ $0.contains(master) }) else { continue }
            await fence(master)
        }
    }

    private func fence(_ master: DeposedMaster) async {
        let now = clock.uptime
        let due = lastAttempt.withLock { attempts in
            if let last = attempts[master.key], now - last < .seconds(1) { return false }
            attempts[master.key] = now
            return true
        }
        guard due else { return }
        logger.warning("a deposed master is writable again: fencing it", metadata: [
            "instance": "\(master.key)", "successor": "\(master.successor)", "recovery": "\(master.recoveryUID)",
        ])
        do {
            let ended = try await operations.fence(master.key, successor: master.successor)
            await step(master, "\(master.key) came back writable: made read-only, \(ended) client sessions ended")
            if configuration.rejoinFailedMasterAsReplica { await rejoin(master) }
            // Probed again so the picture shows it read-only and the next check skips it.
            let cluster = await discovery.refresh(master.key)?.clusterName ?? ""
            registry.events.publish(.recovery(uid: master.recoveryUID, cluster: cluster, message: "\(master.key) fenced: read-only"))
        } catch {
            logger.error("cannot fence a deposed master", metadata: ["instance": "\(master.key)", "error": "\(error)"])
        }
    }

    /// `RejoinFailedMasterAsReplica`: below its successor when its GTIDs allow it; otherwise it
    /// stays read-only and downtimed (the recovery downtimed it) and the steps say why.
    private func rejoin(_ master: DeposedMaster) async {
        guard let old = await discovery.refresh(master.key) else { return }
        switch master.rejoin(old, successor: await discovery.refresh(master.successor)) {
        case .stayFenced(let reason):
            await step(master, "\(master.key) stays read-only and is not rejoined: \(reason)")
        case .replicate:
            do {
                var credentials: MySQLCredentials?
                if !configuration.replicationCredentialsQuery.isEmpty {
                    credentials = try await operations.replicationCredentials(master.successor, query: configuration.replicationCredentialsQuery)
                }
                try await operations.demote(master.key, toReplicaOf: master.successor, credentials: credentials)
                await step(master, "\(master.key) rejoined as a replica of \(master.successor) (RejoinFailedMasterAsReplica)")
            } catch {
                await step(master, "\(master.key) stays read-only: rejoining it below \(master.successor) failed: \(error)")
            }
        }
    }

    private func step(_ master: DeposedMaster, _ message: String) async {
        do {
            try await store.appendRecoveryStep(uid: master.recoveryUID, message: message, at: clock.now)
        } catch {
            logger.error("cannot record a recovery step", metadata: ["recovery": "\(master.recoveryUID)", "step": "\(message)", "error": "\(error)"])
        }
        logger.warning("\(message)", metadata: ["recovery": "\(master.recoveryUID)"])
    }
}
