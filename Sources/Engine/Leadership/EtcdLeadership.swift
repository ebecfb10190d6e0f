import Foundation
import Logging
import ServiceLifecycle
import Store
import Synchronization
import Topology

/// Leadership through an etcd lease: every node keeps a lease alive and, several times a
/// second, creates the leader key on it if the key is absent (one transaction); whoever's
/// lease the key carries leads. A node that stops (kill -9, SIGSTOP, partition) stops renewing,
/// its lease expires, etcd deletes the key, and the next round elects another node. A clean
/// stop revokes the lease, so the hand-over is immediate.
package final class EtcdLeadership: Leadership, Service {
    private struct Lease {
        var id: Int64
        var ttl: Duration
        /// When the last keepalive (or the grant) was sent: the lease surely lasts `ttl` from it.
        var renewedAt: ContinuousClock.Instant
        var validUntil: ContinuousClock.Instant { renewedAt + ttl }
    }

    private struct Status {
        var lease: Lease?
        var state: LeadershipState = .unknown(reason: "no campaign round yet")
        /// After stepping down, this node only watches until then.
        var campaignsAfter: ContinuousClock.Instant?
    }

    package let configuration: LeadershipConfiguration
    private let election: EtcdElection
    private let audit: AuditLog
    private let logger: Logger
    private let metrics: EngineMetrics
    private let status = Mutex(Status())

    package init(configuration: LeadershipConfiguration, store: SQLiteStore, logger: Logger, metrics: EngineMetrics = .none) {
        self.metrics = metrics
        self.configuration = configuration
        election = EtcdElection(
            gateway: EtcdGateway(endpoints: configuration.endpoints, timeout: configuration.requestTimeout),
            leaderKey: configuration.keyPrefix + "leader", nodesPrefix: configuration.keyPrefix + "nodes/"
        )
        audit = AuditLog(store: store, logger: logger)
        self.logger = logger
    }

    /// The recoveries this group of nodes shares, each kept `activePeriodSeconds`.
    package func sharedRecoveries(activePeriodSeconds: Int) -> EtcdSharedRecoveries {
        EtcdSharedRecoveries(election: election, prefix: configuration.keyPrefix + "recoveries/", activePeriodSeconds: activePeriodSeconds)
    }

    /// The controls this group of nodes shares (downtime, maintenance, promotion rules, the
    /// global recovery switch), mirrored into `store` and `registry` every `interval`.
    package func sharedControls(
        store: SQLiteStore, registry: InstanceRegistry, candidateLifetime: TimeInterval, interval: Duration, clock: any EngineClock, logger: Logger
    ) -> EtcdControls {
        EtcdControls(
            election: election, prefix: configuration.keyPrefix, store: store, registry: registry, leadership: self,
            candidateLifetime: candidateLifetime, interval: interval, clock: clock, logger: logger
        )
    }

    package var isDistributed: Bool { true }
    package var ownRecord: LeaderRecord { configuration.record }

    package var state: LeadershipState {
        status.withLock { status in
            if status.state.isLeader, let lease = status.lease, lease.validUntil <= .now {
                return .unknown(reason: "this node's lease \(String(lease.id, radix: 16)) ran out before a keepalive confirmed it")
            }
            return status.state
        }
    }

    package func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await campaignRound()
            do { try await Task.sleep(for: configuration.campaignInterval) } catch { break }
        }
        // Also when cancelled: the revoke must reach etcd. Awaited, so it is done when run returns.
        await Task { await self.resign() }.value
    }

    /// Keeps the lease alive (a new one when it ran out), tries to create the leader key, and
    /// takes the state etcd's answer decides.
    func campaignRound() async {
        // What was announced last (a lapsed lease still shows as leading there), and where
        // this node stands now by its own clock.
        let announced = status.withLock { $0.state }
        let previous = state
        let next: LeadershipState
        do {
            let lease = try await currentLease()
            let key: LeaderKey?
            if let after = status.withLock({ $0.campaignsAfter }), after > .now {
                key = try await election.currentLeader()
            } else {
                key = try await election.campaign(value: configuration.record.encoded, lease: lease.id)
            }
            next = LeadershipDecision.state(node: configuration.record.node, ownLease: lease.id, key: key, leaseRemaining: remaining(lease.id))
        } catch {
            next = LeadershipDecision.stateWithoutEtcd(previous: previous, error: error.description, leaseRemaining: remaining(previous.term?.leaseID))
        }
        status.withLock { $0.state = next }
        metrics.leadership(isLeader: next.isLeader, change: announced.isLeader == next.isLeader ? nil : next.isLeader ? "acquired" : "lost")
        await announce(from: announced, to: next)
    }

    /// The lease to campaign with: renewed when half its TTL has passed (a dead node's lease
    /// then has between half and all of its TTL left, so its successor comes sooner than with
    /// etcd's usual third, and a renewal still has half the TTL to get through); replaced (the
    /// old one revoked, so a key it still holds goes at once) when it ran out or etcd forgot it.
    private func currentLease() async throws(EtcdError) -> Lease {
        let now = ContinuousClock.now
        if let lease = status.withLock({ $0.lease }), lease.validUntil > now {
            guard now - lease.renewedAt >= lease.ttl / 2 else { return lease }
            let ttl = try await election.keepAlive(lease.id)
            if ttl > 0 {
                let renewed = Lease(id: lease.id, ttl: .seconds(ttl), renewedAt: now)
                status.withLock { $0.lease = renewed }
                return renewed
            }
            logger.warning("etcd no longer knows this node's lease", metadata: ["lease": "\(String(lease.id, radix: 16))"])
        } else if let stale = status.withLock({ $0.lease }) {
            logger.warning("this node's lease ran out before a keepalive confirmed it", metadata: ["lease": "\(String(stale.id, radix: 16))"])
            status.withLock { $0.lease = nil }
            try? await election.revoke(stale.id)
        }
        let granted = try await election.grantLease(ttlSeconds: configuration.leaseTTLSeconds)
        let lease = Lease(id: granted.id, ttl: .seconds(max(1, granted.ttlSeconds)), renewedAt: now)
        status.withLock { $0.lease = lease }
        try await election.register(node: configuration.record.node, value: configuration.record.encoded, lease: lease.id)
        return lease
    }

    /// How long lease `id` surely lasts by this node's clock; zero when it is not this node's.
    private func remaining(_ id: Int64?) -> Duration {
        status.withLock { status in
            guard let lease = status.lease, lease.id == id else { return .zero }
            return max(.zero, lease.validUntil - .now)
        }
    }

    package func verify(_ term: LeadershipTerm?) async -> FenceVerdict {
        let key: LeaderKey?
        do {
            key = try await election.currentLeader()
        } catch {
            return .refuse("cannot confirm leadership with etcd: \(error)")
        }
        return LeadershipDecision.fence(term, key: key, leaseRemaining: remaining(term?.leaseID), margin: configuration.fenceMargin)
    }

    package func nodes() async -> [LeaderRecord] {
        ((try? await liveNodes()) ?? [])
    }

    /// The nodes whose leases are alive, as etcd holds them now (one range read); throws when
    /// etcd cannot be read, so a caller can tell "no nodes" from "unknown".
    package func liveNodes() async throws(EtcdError) -> [LeaderRecord] {
        try await election.nodes().compactMap { LeaderRecord(decoding: $0) }.sorted { $0.node < $1.node }
    }

    package func stepDown() async -> String? {
        guard let lease = status.withLock({ $0.lease }), state.isLeader else { return "\(configuration.record.node) is not the leader" }
        status.withLock { $0.campaignsAfter = .now + .seconds(configuration.leaseTTLSeconds) }
        do {
            try await election.revoke(lease.id)
        } catch {
            return "cannot revoke this node's lease: \(error)"
        }
        status.withLock { $0.lease = nil }
        await campaignRound()
        return nil
    }

    /// A clean stop: the lease goes, and the leader key with it, so another node leads at its
    /// next round.
    private func resign() async {
        guard let lease = status.withLock({ $0.lease }) else { return }
        do {
            try await election.revoke(lease.id)
        } catch {
            logger.warning("cannot revoke this node's lease; another node leads once it expires", metadata: ["error": "\(error)"])
        }
        let previous = status.withLock { $0.state }
        status.withLock { $0 = Status(lease: nil, state: .unknown(reason: "this node stopped")) }
        await announce(from: previous, to: .unknown(reason: "this node stopped"))
    }

    /// Logs every change of leader, and audits this node's own gains and losses.
    private func announce(from previous: LeadershipState, to next: LeadershipState) async {
        guard previous != next else { return }
        switch (previous, next) {
        case (_, .leader(let term)):
            await audit.record("leadership-acquired", nil, "\(configuration.record.node) leads under \(term)", level: .notice)
        case (.leader(let term), _):
            let why = next.problem ?? "leadership moved to \(next.leaderNode ?? "another node")"
            await audit.record("leadership-lost", nil, "\(configuration.record.node) no longer leads (\(term) ended): \(why)", level: .warning)
        case (_, .follower(let leader)):
            logger.info("following \(leader.node)", metadata: ["leader_url": "\(leader.url)"])
        case (_, .unknown(let reason)):
            if previous.problem == nil { logger.warning("no leader known: \(reason)") }
        }
    }
}
