import Foundation
import Logging
import ServiceLifecycle
import Store
import Topology

/// Publishes each cluster's master to the internal KV table and to every configured store
/// (etcd, ZooKeeper). A store that fails is logged, audited and retried in the background; it
/// never fails what asked for the write (a recovery above all). Unlike orchestrator, one failing
/// store does not keep the later ones from being written.
///
/// As a service it owns those retries: they run in its task group; a graceful shutdown ends
/// their waits between attempts (logged) and awaits them.
package final class KVPublisher: Service, Sendable {
    package let stores: [any KVStore]
    private let store: SQLiteStore
    private let prefix: String
    private let retryDelays: [Duration]
    private let logger: Logger
    private let retries = WorkQueue()

    package init(stores: [any KVStore], store: SQLiteStore, prefix: String, retryDelays: [Duration] = [.seconds(1), .seconds(2), .seconds(4), .seconds(8)], logger: Logger) {
        self.stores = stores
        self.store = store
        self.prefix = prefix
        self.retryDelays = retryDelays
        self.logger = logger
    }

    /// Runs the retries until shutdown.
    package func run() async throws {
        await retries.run()
    }

    /// The pairs for `master` under `clusterAlias`, with its addresses resolved.
    package func pairs(clusterAlias: String, master: InstanceKey) async -> [KVPair] {
        let (ipv4, ipv6) = await AddressResolver.addresses(of: master.hostname)
        return KVMasterEntries.pairs(prefix: prefix, clusterAlias: clusterAlias, master: master, ipv4: ipv4, ipv6: ipv6)
    }

    /// Each cluster's writable master as pairs (of the clusters named, or all), as orchestrator
    /// submits them: a read-only master yields none; the alias falls back to the cluster name.
    package func currentMasterPairs(registry: InstanceRegistry, of clusterNames: [String]? = nil) async -> [(clusterName: String, pairs: [KVPair])] {
        var result: [(clusterName: String, pairs: [KVPair])] = []
        let names: [String]
        if let clusterNames { names = clusterNames } else { names = await registry.clusterNames() }
        for name in names.sorted() {
            guard let master = await registry.masterInstance(ofCluster: name), !master.readOnly else { continue }
            result.append((name, await pairs(clusterAlias: await registry.alias(ofCluster: name), master: master.key)))
        }
        return result
    }

    /// What the internal store holds under `key` (nil when nothing, or when it cannot be read).
    package func internalValue(of key: String) async -> String? {
        try? await store.keyValue(key)
    }

    /// Writes `pairs` everywhere; returns the failures of the first attempt (retries go on in the background).
    @discardableResult
    package func publish(_ pairs: [KVPair], reason: String) async -> [KVError] {
        guard let first = pairs.first else { return [] }
        var failures: [KVError] = []
        do {
            try await store.putKeyValues(pairs, at: Date())
        } catch {
            failures.append(KVError(store: "internal", key: first.key, reason: "\(error)"))
        }
        let outcomes = await withTaskGroup(of: KVError?.self) { group in
            for kv in stores {
                group.addTask {
                    do throws(KVError) {
                        try await kv.put(pairs)
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            var errors: [KVError] = []
            for await outcome in group { if let outcome { errors.append(outcome) } }
            return errors
        }
        for failure in outcomes {
            await report(failure, reason: reason, final: false)
            if let kv = stores.first(where: { $0.name == failure.store }) { retryInBackground(kv, pairs, reason: reason) }
        }
        logger.info("published \(first)", metadata: ["reason": "\(reason)", "stores": "\(stores.count)", "failures": "\(failures.count + outcomes.count)"])
        return failures + outcomes
    }

    private func retryInBackground(_ kv: any KVStore, _ pairs: [KVPair], reason: String) {
        let delays = retryDelays
        let queued = retries.enqueue {
            for (attempt, delay) in delays.enumerated() {
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
                } catch {
                    self.abandonedAtShutdown(kv, pairs)
                    return
                }
                do throws(KVError) {
                    try await kv.put(pairs)
                    await self.audit("kv-write-retried", "wrote \(pairs.first?.description ?? "") to \(kv.name) on retry \(attempt + 1) (\(reason))")
                    return
                } catch {
                    if attempt == delays.count - 1 { await self.report(error, reason: reason, final: true) }
                }
            }
        }
        if !queued { abandonedAtShutdown(kv, pairs) }
    }

    /// Shutting down: the write is abandoned, and the log says so.
    private func abandonedAtShutdown(_ kv: any KVStore, _ pairs: [KVPair]) {
        logger.warning("KV write not retried: shutting down", metadata: ["store": "\(kv.name)", "key": "\(pairs.first?.key ?? "")"])
    }

    private func report(_ failure: KVError, reason: String, final: Bool) async {
        logger.error("KV write failed\(final ? ", giving up" : ", will retry")", metadata: ["store": "\(failure.store)", "key": "\(failure.key)", "error": "\(failure.reason)"])
        await audit(final ? "kv-write-abandoned" : "kv-write-failed", "\(failure.description) (\(reason))\(final ? "; retries exhausted" : "; retrying")")
    }

    private func audit(_ type: String, _ message: String) async {
        await AuditLog(store: store, logger: logger).write(AuditEntry(timestamp: Date(), type: type, instanceKey: nil, message: message))
    }

    /// Waits for retries in flight (tests, shutdown).
    package func waitForRetries() async {
        await retries.waitUntilIdle()
    }
}

/// The IPv4 and IPv6 address of a host name (`""` when there is none), resolved off the
/// cooperative pool because `getaddrinfo` blocks.
enum AddressResolver {
    static func addresses(of hostname: String) async -> (ipv4: String, ipv6: String) {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: resolve(hostname)) }.start()
        }
    }

    private static func resolve(_ hostname: String) -> (ipv4: String, ipv6: String) {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(hostname, nil, &hints, &list) == 0, let first = list else { return ("", "") }
        defer { freeaddrinfo(first) }
        var ipv4 = "", ipv6 = ""
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(current.pointee.ai_addr, current.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if current.pointee.ai_family == AF_INET, ipv4.isEmpty { ipv4 = text }
                if current.pointee.ai_family == AF_INET6, ipv6.isEmpty { ipv6 = text }
            }
            node = current.pointee.ai_next
        }
        return (ipv4, ipv6)
    }
}
