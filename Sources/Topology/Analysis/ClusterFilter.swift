/// orchestrator's cluster filters (`RecoverMasterClusterFilters`, …): a cluster matches when any
/// filter equals its name or alias, is `alias=X` with alias X, is `alias~=REGEX` matching the
/// alias, is `*`, or is a regex matching the cluster name (all regexes unanchored).
package enum ClusterFilter {
    package static func matches(_ filters: [String], clusterName: String, clusterAlias: String) -> Bool {
        filters.contains { filter in
            if filter.isEmpty { return false }
            if filter == "*" || filter == clusterName || filter == clusterAlias { return true }
            if filter.hasPrefix("alias=") { return clusterAlias == filter.dropFirst("alias=".count) }
            if filter.hasPrefix("alias~=") { return matchesRegex(String(filter.dropFirst("alias~=".count)), clusterAlias) }
            return matchesRegex(filter, clusterName)
        }
    }

    /// Unanchored regex match; an invalid pattern matches nothing (config check reports it).
    package static func matchesRegex(_ pattern: String, _ text: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return false }
        return text.contains(regex)
    }
}
