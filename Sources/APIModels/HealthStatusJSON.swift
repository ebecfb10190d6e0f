import Foundation

/// orchestrator's `HealthStatus` (`Details` of `health` and `status`, `json.md` §12.1) for a
/// single node that is its own active node, without raft.
package struct HealthStatusJSON: Sendable, Equatable, JSONRepresentable {
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

    package init(hostname: String, token: String, appVersion: String, firstSeenActive: Date, lastSeenActive: Date, dbBackend: String,
                 activeSince: Date? = nil) {
        self.hostname = hostname
        self.token = token
        self.appVersion = appVersion
        self.firstSeenActive = firstSeenActive
        self.lastSeenActive = lastSeenActive
        self.dbBackend = dbBackend
        self.activeSince = activeSince
    }

    /// `ActiveNode` comes from orchestrator's `active_node` table, which has no version or
    /// backend columns, hence `""` there; `AvailableNodes` comes from `node_health`, which has.
    package var json: JSONValue {
        let activeNode = Self.nodeHealth(hostname: hostname, token: token, appVersion: "", firstSeenActive: activeSince ?? firstSeenActive,
                                          lastSeenActive: lastSeenActive, dbBackend: "")
        let availableNode = Self.nodeHealth(hostname: hostname, token: token, appVersion: appVersion, firstSeenActive: firstSeenActive,
                                             lastSeenActive: lastSeenActive, dbBackend: dbBackend)
        return .object([
            ("Healthy", .bool(true)),
            ("Hostname", .string(hostname)),
            ("Token", .string(token)),
            ("IsActiveNode", .bool(true)),
            ("ActiveNode", activeNode),
            ("Error", .null),
            ("AvailableNodes", .array([availableNode])),
            ("RaftLeader", .string("")),
            ("IsRaftLeader", .bool(false)),
            ("RaftLeaderURI", .string("")),
            ("RaftAdvertise", .string("")),
            ("RaftHealthyMembers", .null),
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
