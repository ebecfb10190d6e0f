import Synchronization
import Topology

/// Which clusters this node probes when the nodes divide the probes among themselves: the
/// live node list last read from etcd, and the ownership rule (`ProbeOwnership`). Read by the
/// discovery poll loop on every tick, written by `ProbeShareService` every refresh.
package final class ProbeAssignment: Sendable {
    /// This node's name (`host:port` of `HTTPAdvertise`), as registered under `<prefix>nodes/`.
    package let ownNode: String
    /// The live nodes last read; `nil` until the first successful read: until then this node
    /// probes everything, so no cluster goes unprobed because etcd could not be read.
    private let nodes = Mutex<[String]?>(nil)

    package init(ownNode: String) {
        self.ownNode = ownNode
    }

    /// Takes a fresh node list. This node always counts itself in: a node whose registration is
    /// not visible yet (just started, or its lease being replaced) may then probe a cluster
    /// another node also probes, never leave one unprobed. Returns the list it replaced when
    /// the list changed (`[]` for the first one), `nil` when it did not.
    @discardableResult
    package func update(liveNodes: [String]) -> [String]? {
        let next = Array(Set(liveNodes + [ownNode])).sorted()
        return nodes.withLock { current in
            guard current != next else { return nil }
            defer { current = next }
            return current ?? []
        }
    }

    /// The nodes ownership is computed over; `nil` before the first read.
    package var liveNodes: [String]? { nodes.withLock { $0 } }

    /// Whether this node probes the cluster known by `identity` (`ProbeOwnership.identity`).
    package func owns(_ identity: String) -> Bool {
        guard let nodes = liveNodes else { return true }
        return ProbeOwnership.owner(of: identity, among: nodes) == ownNode
    }
}
