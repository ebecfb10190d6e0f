/// The strict order of replicas for promotion (`recovery.md` §6.1): the first criterion on which
/// two replicas differ decides. Unlike orchestrator's comparator this is a consistent order, it
/// compares GTID positions rather than binlog file names as text, and it counts what a replica
/// received, not only what it applied.
package struct ReplicaRanking: Sendable {
    /// One named criterion; `compare` answers whether `a` ranks above `b` (`.less`), below, or ties.
    package struct Criterion: Sendable {
        package var name: String
        package var compare: @Sendable (RankedReplica, RankedReplica) -> ComparisonResult3
    }

    package let criteria: [Criterion]

    package init(deadMasterDataCenter: String) {
        func by<T: Comparable>(_ value: @escaping @Sendable (RankedReplica) -> T) -> @Sendable (RankedReplica, RankedReplica) -> ComparisonResult3 {
            { a, b in value(a) < value(b) ? .less : (value(b) < value(a) ? .greater : .equal) }
        }
        criteria = [
            Criterion(name: "most advanced", compare: by { Descending($0.progress.magnitude) }),
            Criterion(name: "logs replicated updates (log_slave_updates)", compare: by { $0.instance.logReplicationUpdatesEnabled ? 0 : 1 }),
            Criterion(name: "older major version", compare: by { VersionNumber($0.instance.majorVersion).map(OptionalLast.some) ?? .none }),
            Criterion(name: "smaller binlog format", compare: by { BinlogFormat($0.instance.binlogFormat).map(OptionalLast.some) ?? .none }),
            Criterion(name: "same data center as the failed master", compare: by { !deadMasterDataCenter.isEmpty && $0.instance.dataCenter == deadMasterDataCenter ? 0 : 1 }),
            Criterion(name: "no errant GTIDs", compare: by { $0.instance.gtidErrant.isEmpty ? 0 : 1 }),
            Criterion(name: "promotion rule", compare: by { $0.instance.promotionRule.rank }),
            Criterion(name: "host and port order", compare: by { $0.instance.key }),
        ]
    }

    /// `replicas` best first.
    package func sorted(_ replicas: [RankedReplica]) -> [RankedReplica] {
        replicas.sorted { decidingCriterion($0, $1)?.result == .less }
    }

    /// The first criterion on which `a` and `b` differ, and which way it goes.
    package func decidingCriterion(_ a: RankedReplica, _ b: RankedReplica) -> (name: String, result: ComparisonResult3)? {
        for criterion in criteria {
            let result = criterion.compare(a, b)
            if result != .equal { return (criterion.name, result) }
        }
        return nil
    }
}

/// A replica with the progress the ranking reads, computed once.
package struct RankedReplica: Sendable {
    package var instance: Instance
    package var progress: ReplicationProgress

    package init(_ instance: Instance) {
        self.instance = instance
        progress = ReplicationProgress(of: instance)
    }

    package var key: InstanceKey { instance.key }
}

/// Reverses an order, so "more" sorts first.
struct Descending<T: Comparable>: Comparable {
    var value: T
    init(_ value: T) { self.value = value }
    static func < (lhs: Descending, rhs: Descending) -> Bool { rhs.value < lhs.value }
}

/// An optional whose `nil` sorts after every value (an unreadable version ranks last).
enum OptionalLast<T: Comparable>: Comparable {
    case some(T)
    case none

    static func < (lhs: OptionalLast, rhs: OptionalLast) -> Bool {
        switch (lhs, rhs) {
        case (.some(let a), .some(let b)): a < b
        case (.some, .none): true
        default: false
        }
    }
}

extension PromotionRule {
    /// `must` 0 … `must_not` 4: lower is better.
    package var rank: Int {
        switch self {
        case .must: 0
        case .prefer: 1
        case .neutral: 2
        case .preferNot: 3
        case .mustNot: 4
        }
    }
}
