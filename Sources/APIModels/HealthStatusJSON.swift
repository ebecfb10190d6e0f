import Foundation

/// orchestrator's `HealthStatus` (`Details` of `health` and `status`, `json.md` §12.1) for a
/// single node that is its own active node, or for one of several nodes led through etcd
/// (`leadership`), where the raft fields carry the etcd-backed truth.
package struct HealthStatusJSON: Sendable, Equatable, JSONRepresentable {
    /// Where leadership through etcd stands, seen from this node.
    package struct Leadership: Sendable, Equatable {
        package var isLeader: Bool
        /// The leader's node name (`host:port`), empty when none is known.
        package var leader: String
        package var leaderURL: String
        /// This node's own name.
        package var advertise: String
        /// The nodes whose leases are alive.
        package var nodes: [String]
        /// Why no leader is known; `nil` when one is.
        package var error: String?

        package init(isLeader: Bool, leader: String, leaderURL: String, advertise: String, nodes: [String], error: String?) {
            self.isLeader = isLeader
            self.leader = leader
            self.leaderURL = leaderURL
            self.advertise = advertise
            self.nodes = nodes
            self.error = error
        }
    }

    package var hostname: String
    package var token: String
    package var appVersion: String
    /// When this node first registered (`node_health.first_seen_active`).
    package var firstSeenActive: Date
    package var lastSeenActive: Date
    /// orchestrator shows its backend here: the SQLite file path or the MySQL host.
    package var dbBackend: String
    /// When this node became the active node (`active_node.first_seen_active`), a little later
    /// than `firstSeenActive` in orchestrator; `nil` means the same moment.
    package var activeSince: Date?
    /// `nil`: a single node, its own leader.
    package var leadership: Leadership?

    package init(hostname: String, token: String, appVersion: String, firstSeenActive: Date, lastSeenActive: Date, dbBackend: String,
                 activeSince: Date? = nil, leadership: Leadership? = nil) {
        self.hostname = hostname
        self.token = token
        self.appVersion = appVersion
        self.firstSeenActive = firstSeenActive
        self.lastSeenActive = lastSeenActive
        self.dbBackend = dbBackend
        self.activeSince = activeSince
        self.leadership = leadership
    }

    /// `ActiveNode` comes from orchestrator's `active_node` table, which has no version or
    /// backend columns, hence `""` there; `AvailableNodes` comes from `node_health`, which has.
    package var json: JSONValue {
        let activeNode = Self.nodeHealth(hostname: leadership?.leader ?? hostname, token: leadership.map { $0.isLeader ? token : "" } ?? token,
                                          appVersion: "", firstSeenActive: activeSince ?? firstSeenActive, lastSeenActive: lastSeenActive, dbBackend: "")
        let availableNode = Self.nodeHealth(hostname: hostname, token: token, appVersion: appVersion, firstSeenActive: firstSeenActive,
                                             lastSeenActive: lastSeenActive, dbBackend: dbBackend)
        return .object([
            ("Healthy", .bool(leadership?.error == nil)),
            ("Hostname", .string(hostname)),
            ("Token", .string(token)),
            ("IsActiveNode", .bool(leadership?.isLeader ?? true)),
            ("ActiveNode", activeNode),
            ("Error", leadership?.error.map { .string($0) } ?? .null),
            ("AvailableNodes", .array([availableNode])),
            ("RaftLeader", .string(leadership?.leader ?? "")),
            ("IsRaftLeader", .bool(leadership?.isLeader ?? false)),
            ("RaftLeaderURI", .string(leadership?.leaderURL ?? "")),
            ("RaftAdvertise", .string(leadership?.advertise ?? "")),
            ("RaftHealthyMembers", leadership.map { .array($0.nodes.map { .string($0) }) } ?? .null),
        ])
    }

    /// The same document in one call, for route handlers.
    package static func make(hostname: String, token: String, appVersion: String, firstSeenActive: Date, lastSeenActive: Date,
                             dbBackend: String) -> JSONValue {
        HealthStatusJSON(hostname: hostname, token: token, appVersion: appVersion, firstSeenActive: firstSeenActive,
                         lastSeenActive: lastSeenActive, dbBackend: dbBackend).json
    }

    /// orchestrator's `NodeHealth` (§12.2). `LastReported` is Go's zero time for nodes read
    /// from the backend, which all served nodes are.
    private static func nodeHealth(hostname: String, token: String, appVersion: String, firstSeenActive: Date, lastSeenActive: Date,
                                   dbBackend: String) -> JSONValue {
        .object([
            ("Hostname", .string(hostname)),
            ("Token", .string(token)),
            ("AppVersion", .string(appVersion)),
            ("FirstSeenActive", .string(APITimestamp.string(firstSeenActive))),
            ("LastSeenActive", .string(APITimestamp.string(lastSeenActive))),
            ("ExtraInfo", .string("")),
            ("Command", .string("")),
            ("DBBackend", .string(dbBackend)),
            ("LastReported", .string("0001-01-01T00:00:00Z")),
        ])
    }
}
