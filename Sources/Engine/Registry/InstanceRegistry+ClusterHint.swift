import Topology

/// A cluster hint that names no known cluster.
package struct UnknownClusterError: Error, Sendable, CustomStringConvertible {
    package var hint: String
    package var description: String {
        hint.isEmpty ? "Unable to determine cluster name by empty hint" : "Unable to determine cluster name. clusterHint=\(hint)"
    }
}

extension InstanceRegistry {
    /// Resolves a `:clusterHint` as orchestrator does: exact cluster name, exact alias, a known
    /// instance key, then a unique host-substring match with the same port.
    package func resolveClusterHint(_ rawHint: String) throws(UnknownClusterError) -> String {
        let hint = rawHint.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !hint.isEmpty else { throw UnknownClusterError(hint: hint) }
        let names = clusterNames()
        if names.contains(hint) { return hint }
        if let byAlias = names.first(where: { alias(ofCluster: $0) == hint }) { return byAlias }
        if let key = try? InstanceKey(parsing: hint) {
            if let instance = instance(key), !instance.clusterName.isEmpty { return instance.clusterName }
            if let fuzzy = fuzzyInstance(key) { return fuzzy.clusterName }
        }
        throw UnknownClusterError(hint: hint)
    }

    /// The cluster whose alias (or name) equals `alias`, for `cluster/alias/:alias`.
    package func cluster(byAlias aliasText: String) -> String? {
        let trimmed = aliasText.trimmingCharacters(in: .whitespacesAndNewlines)
        return clusterNames().first { alias(ofCluster: $0) == trimmed || $0 == trimmed }
    }

    /// orchestrator's fuzzy key completion: unless the host is an IPv4 address, a unique known
    /// instance with the same port whose host name contains the given text.
    package func fuzzyInstance(_ key: InstanceKey) -> Instance? {
        if let exact = instance(key) { return exact }
        let isIPv4 = key.hostname.split(separator: ".").count == 4 && key.hostname.allSatisfy { $0.isNumber || $0 == "." }
        guard !isIPv4 else { return nil }
        let matches = allInstances().filter { $0.key.port == key.port && $0.key.hostname.contains(key.hostname) }
        return matches.count == 1 ? matches.first : nil
    }
}
