/// Relationships that need more than two instances: master chains and descent.
extension RefactoringSnapshot {
    /// The masters above `key`, nearest first, as far as known instances tell: each step follows
    /// a replica's master key; the chain stops at an instance that is not a replica, at a master
    /// not in the snapshot (which is still listed), or where it would come back round (co-masters).
    package func masterChain(of key: InstanceKey) -> [InstanceKey] {
        var chain: [InstanceKey] = []
        var seen: Set<InstanceKey> = [key]
        var current = key
        while let instance = instances[current], instance.isReplica, instance.masterKey.isValid {
            let master = instance.masterKey
            guard seen.insert(master).inserted else { break }
            chain.append(master)
            current = master
        }
        return chain
    }

    /// Whether `descendant` replicates, directly or through others, from `ancestor`: `ancestor`
    /// is on its master chain, or (MySQL) in its `AncestryUUID`. An instance is not its own
    /// descendant; in a co-master ring each member descends from the other.
    package func isDescendant(_ descendant: InstanceKey, of ancestor: InstanceKey) -> Bool {
        guard descendant != ancestor else { return false }
        if masterChain(of: descendant).contains(ancestor) { return true }
        if let lower = instances[descendant], let upper = instances[ancestor] { return lower.hasAncestryUUID(of: upper) }
        return false
    }

    /// The master of `key`'s master, when `key` and its master both replicate.
    package func grandmaster(of key: InstanceKey) -> InstanceKey? {
        guard let instance = instances[key], instance.isReplica,
              let master = instances[instance.masterKey], master.isReplica else { return nil }
        return master.masterKey
    }
}
