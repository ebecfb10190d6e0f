import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Store
import Topology

/// Controls shared by the nodes through etcd, under `<prefix>controls/`. The leader writes
/// them, fenced by its term in the same transaction, timed ones (downtime, maintenance,
/// promotion rules) on a lease that ends with them. Every node mirrors the prefix into its own
/// store and registry: once a second, and right after each of its own writes and before each
/// recovery decision, so a new leader honours what an operator set on the old one.
package final class EtcdControls: OperatorControls, Service {
    private let election: EtcdElection
    private let prefix: String
    private let store: SQLiteStore
    private let registry: InstanceRegistry
    private let leadership: any Leadership
    /// How long a registered promotion rule lasts (`CandidateInstanceExpireMinutes`).
    private let candidateLifetime: TimeInterval
    private let interval: Duration
    private let clock: any EngineClock
    private let logger: Logger
    /// A read of etcd and the store write that mirrors it are one step: two mirrors never
    /// interleave, so an older read never overwrites a newer one.
    private let mirrorLock = AsyncSerialLock()
    /// What the store and registry were last made to hold: an unchanged read writes nothing
    /// (ends by time are each node's own sweeps' to apply).
    private let lastMirrored = Mutex<SharedControls?>(nil)

    init(
        election: EtcdElection, prefix: String, store: SQLiteStore, registry: InstanceRegistry, leadership: any Leadership,
        candidateLifetime: TimeInterval, interval: Duration, clock: any EngineClock, logger: Logger
    ) {
        self.election = election
        self.prefix = prefix + SharedControlKey.prefix
        self.store = store
        self.registry = registry
        self.leadership = leadership
        self.candidateLifetime = candidateLifetime
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    package func run() async throws {
        var lastProblem: String?
        repeat {
            do {
                try await refresh()
                if lastProblem != nil { logger.notice("the shared controls are mirrored again") }
                lastProblem = nil
            } catch {
                // Once per distinct problem: etcd down would otherwise log every second.
                if lastProblem != error.description { logger.error("cannot mirror the shared controls", metadata: ["error": "\(error)"]) }
                lastProblem = error.description
            }
        } while await clock.sleepUnlessShuttingDown(for: interval)
    }

    package var acceptsWrites: Bool { (LeadershipScope.term ?? leadership.state.term) != nil }

    package func refresh() async throws(ControlsError) {
        try await mirrorLock.withLock { () throws(ControlsError) in try await mirrorNow() }
    }

    private func mirrorNow() async throws(ControlsError) {
        let controls = try await sharedControls()
        guard lastMirrored.withLock({ $0 }) != controls else { return }
        let now = clock.now
        let complete: Bool
        do { complete = try await store.mirror(controls, node: leadership.ownRecord.node, at: now) } catch { throw .store(error) }
        await registry.replaceDowntimes(controls.downtimes(activeAt: now))
        // Incomplete (a lock waiting for an operation's to end): applied again next time.
        lastMirrored.withLock { $0 = complete ? controls : nil }
    }

    package func setRecoveriesDisabled(_ disabled: Bool) async throws(ControlsError) {
        let key = SharedControlKey.recoveriesDisabled.relative
        if disabled {
            try await put(key, "1", lease: 0)
        } else {
            try await delete(key)
        }
    }

    package func registerCandidate(_ candidate: SharedCandidate) async throws(ControlsError) {
        try await put(SharedControlKey.candidate(candidate.key).relative, candidate.encoded, lease: grantLease(lasting: candidateLifetime))
    }

    package func beginDowntime(_ downtime: Downtime) async throws(ControlsError) {
        // Until ended by hand: no lease.
        var lease: Int64 = 0
        if let endsAt = downtime.endsAt { lease = try await grantLease(lasting: endsAt.timeIntervalSince(clock.now)) }
        try await put(SharedControlKey.downtime(downtime.key).relative, downtime.encoded, lease: lease)
    }

    package func endDowntime(_ key: InstanceKey, beganAt: Date?) async throws(ControlsError) -> Bool {
        let relative = SharedControlKey.downtime(key).relative
        guard let current = try await sharedControls().downtimes.first(where: { $0.key == key }) else { return false }
        // Only the one begun then: one an operator began in its place meanwhile stays.
        if let beganAt, abs(current.beginsAt.timeIntervalSince(beganAt)) >= 0.002 { return false }
        try await delete(relative)
        return true
    }

    package func beginMaintenance(_ lock: SharedMaintenanceLock) async throws(ControlsError) -> SQLiteStore.MaintenanceGrant {
        // A lock an operation holds on this node is not in etcd: it refuses as well.
        if let local = try await activeLock(on: lock.key) { return .refused(MaintenanceConflict(requested: lock.key, requestedReason: lock.reason, holder: local)) }
        let term = try currentTerm()
        let lease = try await grantLease(lasting: lock.endsAt.timeIntervalSince(lock.beginsAt))
        let outcome: EtcdElection.CreateOutcome
        do {
            outcome = try await election.createFenced(prefix + SharedControlKey.maintenance(lock.key).relative, value: lock.encoded, lease: lease, term: term)
        } catch {
            throw .etcd(error)
        }
        switch outcome {
        case .fenced:
            throw .notLeader("\(leadership.ownRecord.node) no longer leads: the maintenance lock was not taken")
        case .exists(let value):
            let holder = SharedMaintenanceLock(decoding: value)
            let entry = MaintenanceEntry(
                id: 0, key: lock.key, owner: holder?.owner ?? "?", reason: holder?.reason ?? "held by another lock",
                beginsAt: holder?.beginsAt ?? lock.beginsAt, endsAt: holder?.endsAt ?? lock.endsAt, isActive: true, isExplicit: true
            )
            return .refused(MaintenanceConflict(requested: lock.key, requestedReason: lock.reason, holder: try await activeLock(on: lock.key) ?? entry))
        case .created:
            try await refresh()
            guard let granted = try await activeLock(on: lock.key) else {
                throw .store(StoreError(operation: "begin maintenance on \(lock.key)", path: "", reason: "the lock taken in etcd is not in this node's store"))
            }
            return .granted(granted)
        }
    }

    package func endMaintenance(_ key: InstanceKey, at now: Date) async throws(ControlsError) -> Bool {
        if try await sharedControls().maintenance.contains(where: { $0.key == key }) {
            try await delete(SharedControlKey.maintenance(key).relative)
            return true
        }
        // Not an operator's lock: one an operation took on this node.
        do { return try await store.endMaintenance(key, at: now) } catch { throw .store(error) }
    }

    package func putTag(_ key: InstanceKey, name: String, value: String, at now: Date) async throws(ControlsError) {
        var tags = try await sharedControls().tags[key] ?? [:]
        tags[name] = value
        try await put(SharedControlKey.tags(key).relative, SharedTags.encode(tags), lease: 0)
    }

    package func removeTag(name: String, value: String?, from key: InstanceKey?) async throws(ControlsError) -> [InstanceKey] {
        var puts: [(key: String, value: String, lease: Int64)] = []
        var deletes: [String] = []
        var removed: [InstanceKey] = []
        for (instance, tags) in try await sharedControls().tags.sorted(by: { $0.key < $1.key }) where key == nil || instance == key {
            guard let current = tags[name], value == nil || current == value else { continue }
            var remaining = tags
            remaining[name] = nil
            let relative = SharedControlKey.tags(instance).relative
            if remaining.isEmpty { deletes.append(relative) } else { puts.append((relative, SharedTags.encode(remaining), 0)) }
            removed.append(instance)
        }
        guard !removed.isEmpty else { return [] }
        // Every instance at once, or none: an untag-all cut short leaves no instance half-done.
        try await apply(puts: puts, deletes: deletes, what: "tag \(name) was not removed from \(removed.count) instances")
        return removed
    }

    // MARK: etcd

    /// Writes and removes keys under the prefix in one transaction fenced by this node's term,
    /// then mirrors; `refusal` says what did not happen when the term no longer holds.
    private func apply(puts: [(key: String, value: String, lease: Int64)], deletes: [String], what refusal: String) async throws(ControlsError) {
        let term = try currentTerm()
        let applied: Bool
        do {
            applied = try await election.applyFenced(puts: puts.map { (prefix + $0.key, $0.value, $0.lease) }, deletes: deletes.map { prefix + $0 }, term: term)
        } catch {
            throw .etcd(error)
        }
        guard applied else { throw .notLeader("\(leadership.ownRecord.node) no longer leads: \(refusal)") }
        try await refresh()
    }

    private func currentTerm() throws(ControlsError) -> LeadershipTerm {
        let state = leadership.state
        guard let term = LeadershipScope.term ?? state.term else {
            throw .notLeader("\(leadership.ownRecord.node) does not lead: " + (state.problem ?? "\(state.leaderNode ?? "another node") does"))
        }
        return term
    }

    private func put(_ relative: String, _ value: String, lease: Int64) async throws(ControlsError) {
        try await apply(puts: [(relative, value, lease)], deletes: [], what: "\(relative) was not written")
    }

    private func delete(_ relative: String) async throws(ControlsError) {
        try await apply(puts: [], deletes: [relative], what: "\(relative) was not removed")
    }

    /// A lease for something that lasts `seconds` (whole seconds, at least one: etcd's unit).
    private func grantLease(lasting seconds: TimeInterval) async throws(ControlsError) -> Int64 {
        do {
            return try await election.grantLease(ttlSeconds: max(1, Int(seconds.rounded(.up)))).id
        } catch {
            throw .etcd(error)
        }
    }

    private func sharedControls() async throws(ControlsError) -> SharedControls {
        let entries: [(key: String, value: String)]
        do { entries = try await election.gateway.entries(under: prefix) } catch { throw .etcd(error) }
        do { return try SharedControls(entries: entries) } catch { throw .unreadable(error) }
    }

    private func activeLock(on key: InstanceKey) async throws(ControlsError) -> MaintenanceEntry? {
        do { return try await store.activeMaintenance(at: clock.now).first { $0.key == key } } catch { throw .store(error) }
    }
}
