import Topology

/// A place master-discovery entries are written to.
package protocol KVStore: Sendable {
    /// For logs and the audit: `etcd http://…`, `zookeeper host:port`.
    var name: String { get }
    func put(_ pairs: [KVPair]) async throws(KVError)
    /// The value under `key`, `nil` when there is none (to verify what was published).
    func get(_ key: String) async throws(KVError) -> String?
}

/// A failed KV write, naming the store and the key.
package struct KVError: Error, Sendable, Equatable, CustomStringConvertible {
    package var store: String
    package var key: String
    package var reason: String

    package init(store: String, key: String, reason: String) {
        self.store = store
        self.key = key
        self.reason = reason
    }

    package var description: String { "cannot write \(key) to \(store): \(reason)" }
}
