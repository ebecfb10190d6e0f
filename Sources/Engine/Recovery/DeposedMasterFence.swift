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
///
/// A deposed master that cannot be reached is not waited for by polling: its fence is *armed*,
/// a connection attempt kept pending (or retried every 100 ms when refused), so the instant it
/// answers again the fence goes in first, before the applications that were waiting on it can
/// write much: with asynchronous replication every write it takes there is one its successor
/// lacks.
package final class DeposedMasterFence: Service, Sendable {
    private let registry: InstanceRegistry
    private let discovery: DiscoveryService
    private let store: SQLiteStore
    private let operations: ReplicationOperations
    private let configuration: RecoveryConfiguration
    private let logger: Logger
    private let clock: any EngineClock
    /// Only the leader fences, under its term (a follower's writes would be refused anyway).
    private let leadership: any Leadership
    private let deposed = Mutex<[DeposedMaster]>([])
    /// When fencing each master was last tried, so a failing fence is retried every second, not
    /// on every topology event.
    private let lastAttempt = Mutex<[InstanceKey: Duration]>([:])
    /// Deposed masters with an armed fence running, and where to ask for new ones.
    private let armed = Mutex<Set<InstanceKey>>([])
    private let arming: AsyncStream<DeposedMaster>
    private let armingContinuation: AsyncStream<DeposedMaster>.Continuation

    package init(
        registry: InstanceRegistry, discovery: DiscoveryService, store: SQLiteStore, operations: ReplicationOperations,
        configuration: RecoveryConfiguration, logger: Logger, clock: any EngineClock, leadership: any Leadership
    ) {
        self.clock = clock
        self.leadership = leadership
        (arming, armingContinuation) = AsyncStream.makeStream(of: DeposedMaster.self)
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
            group.addTask {
                await withDiscardingTaskGroup { fences in
                    for await master in self.arming {
                        fences.addTask { await self.armedFence(master) }
                    }
                    fences.cancelAll()
                }
            }
            for await event in events.cancelOnGracefulShutdown() {
                switch event {
                case .recovery(_, _, let message):
                    // A recovery that ended may have deposed a master; its steps cannot.
                    guard message.hasPrefix(RecoveryService.endedMessagePrefix) else { continue }
                    await reload()
                    await check()
                case .topology:
                    await check()
                case .analysis:
                    continue
                }
            }
            armingContinuation.finish()
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
        guard leadership.state.isLeader else { return }
        for master in deposed.withLock({ $0 }) {
            let instance = await registry.instance(master.key)
            if instance?.isLastCheckValid != true {
                arm(master)
                continue
            }
            guard master.mustFence(instance) else { continue }
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
            try await fenceAndReport(master)
        } catch {
            logger.error("cannot fence a deposed master", metadata: ["instance": "\(master.key)", "error": "\(error)"])
        }
    }

    /// Fences `master` and reports it, under this node's leadership term (every change to a
    /// server is checked against it).
    private func fenceAndReport(_ master: DeposedMaster, onlyIfWritable: Bool = false) async throws(OperationError) {
        guard let term = leadership.state.term else {
            throw OperationError(key: master.key, operation: "fence-deposed-master", reason: "this node does not lead")
        }
        let failure = await LeadershipScope.$term.withValue(term) { () async -> OperationError? in
            do throws(OperationError) {
                let ended = try await operations.fenceDeposedMaster(master.key, successor: master.successor, onlyIfWritable: onlyIfWritable)
                guard let ended else { return nil }
                await step(master, "\(master.key) came back writable: made read-only, \(ended) client sessions ended")
                if configuration.rejoinFailedMasterAsReplica { await rejoin(master) }
                // Probed again so the picture shows it read-only and the next check skips it.
                let cluster = await discovery.refresh(master.key)?.clusterName ?? ""
                registry.events.publish(.recovery(uid: master.recoveryUID, cluster: cluster, message: "\(master.key) fenced: read-only"))
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    private func arm(_ master: DeposedMaster) {
        if armed.withLock({ $0.insert(master.key).inserted }) { armingContinuation.yield(master) }
    }

    /// Tries to fence `master` until it answers, it is reachable by polling again (the regular
    /// check takes over), or it is no longer deposed.
    private func armedFence(_ master: DeposedMaster) async {
        defer { _ = armed.withLock { $0.remove(master.key) } }
        while !Task.isCancelled, deposed.withLock({ $0.contains(master) }) {
            if await registry.instance(master.key)?.isLastCheckValid == true { return }
            do {
                // Blocks while the server hangs (up to the connect timeout): that is the point.
                try await fenceAndReport(master, onlyIfWritable: true)
                return
            } catch {
                // Refused or timed out: it is still gone.
            }
            do { try await clock.sleep(for: .milliseconds(100)) } catch { return }
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
