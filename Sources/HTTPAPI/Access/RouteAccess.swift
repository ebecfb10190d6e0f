/// Whether a route only reads (`read`) or changes something (`operation`: orchestrator's
/// "authorized action", the `A` column of `api.md` §7, plus the few mutating routes orchestrator
/// forgot to guard). `RouterGroup.api` looks every route up here when it is registered and
/// stops on one that is missing, so a new route cannot be served without being classified.
package enum RouteAccess: Sendable, Equatable {
    case read
    case operation

    /// The classification of a route, by its first path segment below `/api/` (every route
    /// sharing a first segment has the same nature). `nil` for a route nobody classified.
    package static func of(route path: String) -> RouteAccess? {
        let first = path.split(separator: "/").first.map(String.init) ?? ""
        if reads.contains(first) { return .read }
        if operations.contains(first) { return .operation }
        return nil
    }

    static let reads: Set<String> = [
        // Health and leadership.
        "health", "status", "lb-check", "_ping", "leader-check", "routed-leader-check",
        "raft-state", "raft-leader", "raft-health", "raft-peers",
        // Instances, clusters, topology text.
        "instance", "instance-replicas", "all-instances", "search", "problems", "masters", "master",
        "clusters", "clusters-info", "cluster", "cluster-info", "cluster-osc-replicas", "cluster-osc-slaves",
        "topology", "topology-tabulated", "topology-tags",
        "can-replicate-from", "can-replicate-from-gtid", "locate-gtid-errant",
        // Analysis, audit, recovery history and settings.
        "replication-analysis", "audit", "audit-failure-detection", "audit-recovery", "audit-recovery-steps",
        "blocked-recoveries", "active-cluster-recovery", "recently-active-cluster-recovery",
        "recently-active-instance-recovery", "check-global-recoveries", "automated-recovery-filters", "recovery-plan",
        // Downtime, maintenance, tags.
        "downtimed", "in-maintenance", "maintenance", "tagged", "tags", "tag-value",
        // Ours: the event stream the web page follows, and what the caller may do.
        "events", "access",
        // Ours, between nodes that divide the probes: a node's latest probe results.
        "probe-share",
    ]

    static let operations: Set<String> = [
        // Discovery.
        "discover", "async-discover", "refresh", "forget", "forget-cluster", "set-cluster-alias",
        // Refactoring (`api.md` §7.5), with the legacy spellings and the Pseudo-GTID routes we refuse.
        "relocate", "relocate-below", "relocate-replicas", "relocate-slaves", "move-up", "move-up-replicas", "move-up-slaves",
        "move-below", "move-below-gtid", "move-gtid", "move-replicas-gtid", "move-slaves-gtid", "move-equivalent",
        "repoint", "repoint-replicas", "repoint-slaves", "take-master", "enslave-master", "take-siblings", "enslave-siblings",
        "make-co-master", "regroup-replicas", "regroup-slaves", "regroup-replicas-gtid", "regroup-slaves-gtid",
        "regroup-replicas-bls", "regroup-slaves-bls", "regroup-replicas-pgtid", "regroup-slaves-pgtid",
        "match", "match-below", "match-up", "rematch", "match-replicas", "match-slaves", "match-up-replicas", "match-up-slaves",
        "last-pseudo-gtid",
        // Replication control and instance settings (§7.6; `restart-replica-statements` only
        // computes statements, but orchestrator guards it like the rest of the family).
        "start-replica", "start-slave", "stop-replica", "stop-slave", "stop-replica-nice", "stop-slave-nice",
        "restart-replica", "restart-slave", "reset-replica", "reset-slave", "skip-query",
        "detach-replica", "detach-slave", "detach-replica-master-host", "detach-slave-master-host",
        "reattach-replica", "reattach-slave", "reattach-replica-master-host", "reattach-slave-master-host",
        "set-read-only", "set-writeable", "enable-semi-sync-master", "disable-semi-sync-master",
        "enable-semi-sync-replica", "disable-semi-sync-replica", "flush-binary-logs", "purge-binary-logs",
        "delay-replication", "gtid-errant-inject-empty", "gtid-errant-reset-master",
        "restart-replica-statements", "restart-slave-statements",
        // Recovery (§7.7) and candidates (§7.11).
        "recover", "recover-lite", "force-master-failover", "force-master-takeover",
        "graceful-master-takeover", "graceful-master-takeover-auto",
        "ack-recovery", "ack-all-recoveries", "disable-global-recoveries", "enable-global-recoveries", "register-candidate",
        // Downtime and maintenance (§7.10).
        "begin-downtime", "end-downtime", "begin-maintenance", "end-maintenance",
        // Pools (§7.13: orchestrator guards the reads too), hostname unresolve (§7.16).
        "submit-pool-instances", "cluster-pool-instances", "heuristic-cluster-pool-instances", "heuristic-cluster-pool-lag",
        "register-hostname-unresolve", "deregister-hostname-unresolve",
        // Mutating routes orchestrator leaves unguarded; guarded here (differences-from-orchestrator.md).
        "tag", "untag", "untag-all", "submit-masters-to-kv-stores", "snapshot-topologies", "raft-snapshot",
        "raft-add-peer", "raft-remove-peer", "raft-yield", "raft-yield-hint",
        // Leadership: the leader steps down.
        "reelect",
    ]
}
