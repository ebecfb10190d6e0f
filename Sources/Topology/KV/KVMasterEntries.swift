/// One key and value of master discovery.
package struct KVPair: Sendable, Equatable, CustomStringConvertible {
    package var key: String
    package var value: String

    package init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    package var description: String { "\(key):\(value)" }
}

/// The master-discovery entries of a cluster (`kv-and-ha.md` A.2): `<prefix><alias>` =
/// `host:port`, with `/hostname`, `/port`, `/ipv4` and `/ipv6` beside it.
package enum KVMasterEntries {
    /// `KVClusterMasterPrefix` as orchestrator normalises it: trailing slashes replaced by exactly one.
    package static func normalizedPrefix(_ prefix: String) -> String {
        if prefix == "/" { return prefix }
        var trimmed = Substring(prefix)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed + "/"
    }

    package static func pairs(prefix: String, clusterAlias: String, master: InstanceKey, ipv4: String, ipv6: String) -> [KVPair] {
        let base = normalizedPrefix(prefix) + clusterAlias
        return [
            KVPair(key: base, value: master.description),
            KVPair(key: base + "/hostname", value: master.hostname),
            KVPair(key: base + "/port", value: "\(master.port)"),
            KVPair(key: base + "/ipv4", value: ipv4),
            KVPair(key: base + "/ipv6", value: ipv6),
        ]
    }
}
