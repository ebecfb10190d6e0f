/// The recovery settings the planner decides with (orchestrator's keys, `recovery.md` §15).
package struct RecoveryPolicy: Sendable, Equatable {
    /// `PreventCrossDataCenterMasterFailover`: the new master must be in the dead master's data center.
    package var preventCrossDataCenterMasterFailover = false
    /// `PreventCrossRegionMasterFailover`: the new master must be in the dead master's region.
    package var preventCrossRegionMasterFailover = false
    /// `FailMasterPromotionOnLagMinutes`: a replica lagging this much (or more) is not promoted; 0 = off.
    package var failMasterPromotionOnLagMinutes: Int64 = 0
    /// `PromotionIgnoreHostnameFilters`: hosts that are never promoted.
    package var promotionIgnoreHostnameFilters: [String] = []
    /// `ReasonableMaintenanceReplicationLagSeconds`, used by the delayed-replica replication rule.
    package var reasonableMaintenanceReplicationLagSeconds: Int64 = 20
    /// `VerifyReplicationFilters`: a replica without filters may not replicate from a source with some.
    package var verifyReplicationFilters = false
    /// `DetachLostReplicasAfterMasterFailover`.
    package var detachLostReplicasAfterMasterFailover = true

    package init() {}
}

/// Hosts a filter list bans from promotion: an IP filter matches the hostname exactly, anything
/// else is an unanchored regex over `host:port` (orchestrator's `PromotionIgnoreHostnameFilters`).
extension RecoveryPolicy {
    package func isIgnoredForPromotion(_ key: InstanceKey) -> Bool {
        promotionIgnoreHostnameFilters.contains { filter in
            if filter.isEmpty { return false }
            if Self.looksLikeIPAddress(filter) { return key.hostname == filter }
            return ClusterFilter.matchesRegex(filter, key.description)
        }
    }

    private static func looksLikeIPAddress(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) { return true }
        return text.contains(":") && text.allSatisfy { $0.isHexDigit || $0 == ":" }
    }
}
