import Topology

/// Leadership through etcd (`EtcdEndpoints`, `EtcdLeaseTTLSeconds`, `HTTPAdvertise`).
package struct LeadershipConfiguration: Sendable {
    /// etcd's v3 JSON gateway URLs.
    package var endpoints: [String]
    /// This node, as the others reach it.
    package var record: LeaderRecord
    /// The lease TTL asked for; etcd raises it to its own minimum (2 s with default etcd
    /// timings). A dead leader is replaced about this long after its last keepalive.
    package var leaseTTLSeconds = 2
    /// How often each node runs a campaign round (create-if-absent, or read, the leader key):
    /// how soon after the key goes another node takes it.
    package var campaignInterval: Duration = .milliseconds(100)
    /// An action is refused unless this node's lease surely lasts this much longer.
    package var fenceMargin: Duration = .milliseconds(300)
    /// For one etcd request.
    package var requestTimeout: Duration = .milliseconds(800)
    /// Keys: `<prefix>leader` and `<prefix>nodes/<node>`.
    package var keyPrefix = "orchestrator/"

    package init(endpoints: [String], record: LeaderRecord) {
        self.endpoints = endpoints
        self.record = record
    }
}
