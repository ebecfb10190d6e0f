import Foundation
import Logging
import Store
import Topology

/// Runs the reconnect test (`ReconnectTest`) when a master leaves a ping unanswered: the IO
/// threads of its asynchronous replicas restart, and analysis reads whether they got back in.
/// Only the leader touches replicas, under its term, like every other change to a server.
package struct ReplicaReconnectTester: Sendable {
    let operations: ReplicationOperations
    let registry: InstanceRegistry
    let store: SQLiteStore
    let leadership: any Leadership
    /// `ReplicaReconnectTestMilliseconds`, in seconds.
    package let window: Double
    let logger: Logger

    package init(
        operations: ReplicationOperations, registry: InstanceRegistry, store: SQLiteStore, leadership: any Leadership, window: Double, logger: Logger
    ) {
        self.operations = operations
        self.registry = registry
        self.store = store
        self.leadership = leadership
        self.window = window
        self.logger = logger
    }

    /// Restarts the IO threads of `master`'s replicas when the test can decide; returns the
    /// replicas restarted (none: the test did not run, and the passive proof decides).
    func run(master: InstanceKey) async -> [InstanceKey] {
        guard let term = leadership.state.term else { return [] }
        let maintenance: Set<InstanceKey>
        do {
            maintenance = Set(try await store.activeMaintenance(at: Date()).map(\.key))
        } catch {
            // Not knowing which replicas an operation holds, touch none.
            logger.error("reconnect test not run: cannot read maintenance locks", metadata: ["instance": "\(master)", "error": "\(error)"])
            return []
        }
        let replicas = await registry.replicas(of: master)
        let chosen = ReconnectTest.replicasToRestart(of: master, replicas: replicas, underMaintenance: maintenance)
        guard !chosen.isEmpty else {
            logger.info("reconnect test not run: no replica still connected, or one that cannot be tested (semi-sync, downtimed, under maintenance)", metadata: ["instance": "\(master)"])
            return []
        }
        logger.warning("master does not answer: testing whether its replicas can reconnect to it", metadata: [
            "instance": "\(master)", "replicas": "\(chosen.map(\.description).joined(separator: ","))", "window_ms": "\(Int(window * 1000))",
        ])
        await registry.beginReconnectTest(chosen, master: master, window: window)
        return await LeadershipScope.$term.withValue(term) {
            await withTaskGroup(of: InstanceKey?.self) { group in
                for replica in chosen { group.addTask { await restart(replica, master: master) } }
                var restarted: [InstanceKey] = []
                for await key in group { if let key { restarted.append(key) } }
                return restarted
            }
        }
    }

    private func restart(_ replica: InstanceKey, master: InstanceKey) async -> InstanceKey? {
        do {
            switch try await operations.restartIOThread(replica, master: master) {
            case .restarted(let at):
                await registry.reconnectTestRestarted(replica, at: at)
                return replica
            case .skipped(let reason):
                logger.info("reconnect test: replica left alone", metadata: ["instance": "\(replica)", "reason": "\(reason)"])
            }
        } catch {
            logger.error("reconnect test: cannot restart the IO thread", metadata: ["instance": "\(replica)", "error": "\(error)"])
        }
        await registry.endReconnectTest(replica)
        return nil
    }
}
