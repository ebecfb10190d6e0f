import Foundation
import Logging
import ServiceLifecycle
import Store
import Topology

/// Downtime (`refactoring.md` §7): begun and ended by operators or by a master recovery for the
/// instances it left behind, kept in the store, shown on the instances and honoured by
/// analysis. Every poll interval it drops downtimes that ended by time and ends a
/// lost-in-recovery one once its instance is back (`recovery.md` §14).
package final class DowntimeService: Service, Sendable {
    let registry: InstanceRegistry
    let store: SQLiteStore
    /// Where downtimes are written: this node's store, or etcd for every node.
    let controls: any OperatorControls
    let interval: Duration
    let logger: Logger
    let clock: any EngineClock

    package init(
        registry: InstanceRegistry, store: SQLiteStore, controls: (any OperatorControls)? = nil, interval: Duration, logger: Logger, clock: any EngineClock
    ) {
        self.controls = controls ?? LocalControls(store: store)
        self.clock = clock
        self.registry = registry
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        for downtime in try await store.downtimes() { await registry.setDowntime(downtime) }
        while await clock.sleepUnlessShuttingDown(for: interval) {
            await sweep(at: clock.now)
        }
    }

    /// orchestrator's default when no duration is given (`MaintenanceExpireMinutes`).
    package static let defaultDuration: TimeInterval = 600

    /// Begins (or replaces) a downtime of a known instance; `duration` nil: the default.
    package func begin(_ key: InstanceKey, owner: String, reason: String, duration: TimeInterval?, at now: Date) async throws(DowntimeError) -> Downtime {
        guard await registry.contains(key) else { throw .unknownInstance(key) }
        guard !owner.isEmpty, !reason.isEmpty else { throw .invalid("downtime needs an owner and a reason") }
        let seconds = duration ?? Self.defaultDuration
        guard seconds >= 0 else { throw .invalid("a downtime cannot last a negative time") }
        // A zero duration is the default, not a downtime that has already ended (orchestrator's quirk).
        let downtime = Downtime(key: key, owner: owner, reason: reason, beginsAt: now, endsAt: now.addingTimeInterval(seconds == 0 ? Self.defaultDuration : seconds))
        try await record(downtime)
        await audit("begin-downtime", key, "downtime begun by \(owner) until \(downtime.endsAt.map(String.init(describing:)) ?? "ended by hand"): \(reason)")
        return downtime
    }

    /// Downtimes the instances a master recovery left behind, until they come back.
    package func downtimeLostInRecovery(_ keys: [InstanceKey], at now: Date) async {
        for key in keys {
            let downtime = Downtime(key: key, owner: "orchestrator", reason: Downtime.lostInRecoveryReason, beginsAt: now, endsAt: nil)
            do {
                try await record(downtime)
                await audit("begin-downtime", key, "downtimed: lost in recovery")
            } catch {
                logger.error("cannot downtime an instance lost in recovery", metadata: ["instance": "\(key)", "error": "\(error)"])
            }
        }
    }

    /// Ends the instance's downtime (no error when it had none); whether it had one.
    @discardableResult
    package func end(_ key: InstanceKey) async throws(DowntimeError) -> Bool {
        do {
            let ended = try await controls.endDowntime(key, beganAt: nil)
            await registry.removeDowntime(key)
            if ended { await audit("end-downtime", key, "downtime ended") }
            return ended
        } catch {
            throw .controls(error)
        }
    }

    /// Instances downtimed now, optionally of one cluster.
    package func downtimed(clusterName: String?) async -> [Instance] {
        let active = await registry.activeDowntimes(at: clock.now)
        return await registry.allInstances().filter { active[$0.key] != nil && (clusterName == nil || $0.clusterName == clusterName) }
    }

    /// Drops downtimes that ended by time and lost-in-recovery ones whose instance is back.
    package func sweep(at now: Date) async {
        for downtime in await registry.expireDowntimes(at: now) {
            do { try await store.endDowntime(downtime.key, beganAt: downtime.beginsAt) } catch {
                logger.error("cannot end an expired downtime", metadata: ["instance": "\(downtime.key)", "error": "\(error)"])
            }
        }
        let instances = await registry.allInstances()
        // Among several nodes, the leader ends them for everyone.
        guard controls.acceptsWrites else { return }
        for (key, downtime) in await registry.activeDowntimes(at: now) where downtime.isLostInRecovery {
            guard let instance = instances.first(where: { $0.key == key }) else { continue }
            let aliasHolders = instances.filter { $0.replicationDepth == 0 && $0.suggestedClusterAlias == instance.suggestedClusterAlias }
            if downtime.lostInRecoveryHasEnded(for: instance, now: now, isSoleHolderOfItsAlias: aliasHolders.count == 1) {
                do {
                    // Only this downtime: one an operator began in its place meanwhile stays.
                    if try await controls.endDowntime(key, beganAt: downtime.beginsAt), await registry.removeDowntime(downtime) {
                        await audit("end-downtime", key, "lost-in-recovery downtime ended: the instance is back")
                    }
                } catch {
                    logger.error("cannot end a lost-in-recovery downtime", metadata: ["instance": "\(key)", "error": "\(error)"])
                }
            }
        }
    }

    private func record(_ downtime: Downtime) async throws(DowntimeError) {
        do { try await controls.beginDowntime(downtime) } catch { throw .controls(error) }
        await registry.setDowntime(downtime)
    }

    private func audit(_ type: String, _ key: InstanceKey, _ message: String) async {
        await AuditLog(store: store, logger: logger).record(type, key, message)
    }
}

package enum DowntimeError: Error, Sendable, CustomStringConvertible {
    case unknownInstance(InstanceKey)
    case invalid(String)
    case store(StoreError)
    case controls(ControlsError)

    package var description: String {
        switch self {
        case let .unknownInstance(key): "Cannot read instance: \(key)"
        case let .invalid(reason): reason
        case let .store(error): error.description
        case let .controls(error): error.description
        }
    }
}
