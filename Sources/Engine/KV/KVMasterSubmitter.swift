import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Topology

/// Keeps the KV stores in line with the masters orchestrator knows (`kv-and-ha.md` A.3,
/// periodic): every minute, after a start-up wait of 3 × `InstancePollSeconds`, each cluster's
/// writable master is written where the internal store lacks it or holds something else. Pairs
/// seen correct within the last ten minutes are not read again. Unlike orchestrator, a pair some
/// store refused is submitted again every pass until every store took it, even though the
/// internal store already holds it.
package final class KVMasterSubmitter: Service, Sendable {
    private struct Memory {
        var seenCorrect: [String: (value: String, at: Date)] = [:]
        var refused: Set<String> = []
    }

    private let kv: KVPublisher
    private let registry: InstanceRegistry
    private let startupDelay: Duration
    private let interval: Duration
    private let logger: Logger
    /// Only the leader submits (`kv-and-ha.md` A.3).
    private let leadership: (any Leadership)?
    private let memory = Mutex(Memory())
    private static let seenCorrectLifetime: TimeInterval = 600

    package init(kv: KVPublisher, registry: InstanceRegistry, startupDelay: Duration, interval: Duration = .seconds(60), logger: Logger,
                 leadership: (any Leadership)? = nil) {
        self.leadership = leadership
        self.kv = kv
        self.registry = registry
        self.startupDelay = startupDelay
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        // Its sleeps are long: stop them at once on a graceful shutdown, not a minute later.
        await cancelWhenGracefulShutdown {
            do { try await Task.sleep(for: self.startupDelay) } catch { return }
            while !Task.isCancelled {
                if self.leadership?.state.isLeader ?? true { await self.submitChanged() }
                do { try await Task.sleep(for: self.interval) } catch { return }
            }
        }
    }

    /// One pass; returns the pairs it submitted.
    @discardableResult
    package func submitChanged(now: Date = Date()) async -> [KVPair] {
        var changed: [KVPair] = []
        for pair in await kv.currentMasterPairs(registry: registry).flatMap(\.pairs) {
            let (known, refused) = memory.withLock { memory in
                let seen = memory.seenCorrect[pair.key]
                return (seen?.value == pair.value && now.timeIntervalSince(seen?.at ?? .distantPast) < Self.seenCorrectLifetime, memory.refused.contains(pair.key))
            }
            if known && !refused { continue }
            if !refused, await kv.internalValue(of: pair.key) == pair.value {
                memory.withLock { $0.seenCorrect[pair.key] = (pair.value, now) }
                continue
            }
            changed.append(pair)
        }
        guard !changed.isEmpty else { return [] }
        logger.info("submitting changed master entries", metadata: ["pairs": "\(changed.count)"])
        let failures = await kv.publish(changed, reason: "periodic master submission")
        memory.withLock { memory in
            for pair in changed {
                if failures.isEmpty {
                    memory.refused.remove(pair.key)
                    memory.seenCorrect[pair.key] = (pair.value, now)
                } else {
                    memory.refused.insert(pair.key)
                }
            }
        }
        return changed
    }
}
