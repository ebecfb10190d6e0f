import Foundation

/// What operators set that every node must honour after a change of leader: downtime,
/// maintenance locks begun by hand, promotion rules (`register-candidate`), the global
/// recovery switch, and instance tags. With etcd, the leader writes them under `<prefix>controls/` and every node
/// mirrors that prefix into its own store (`ControlsMirror`); this is the prefix read back.
package struct SharedControls: Sendable, Equatable {
    package var downtimes: [Downtime] = []
    package var maintenance: [SharedMaintenanceLock] = []
    package var candidates: [SharedCandidate] = []
    package var recoveriesDisabled = false
    /// Each tagged instance's tags, name → value (`""` for a valueless tag).
    package var tags: [InstanceKey: [String: String]] = [:]

    package init(
        downtimes: [Downtime] = [], maintenance: [SharedMaintenanceLock] = [], candidates: [SharedCandidate] = [], recoveriesDisabled: Bool = false,
        tags: [InstanceKey: [String: String]] = [:]
    ) {
        self.downtimes = downtimes
        self.maintenance = maintenance
        self.candidates = candidates
        self.recoveriesDisabled = recoveriesDisabled
        self.tags = tags
    }

    /// Reads the entries under the controls prefix (keys relative to it). An entry that does not
    /// decode is reported, not dropped silently: a node that cannot read a downtime must not act
    /// as if there were none.
    package init(entries: [(key: String, value: String)]) throws(SharedControlsError) {
        for entry in entries {
            switch SharedControlKey(relative: entry.key) {
            case .downtime:
                guard let downtime = JSONText.decode(Downtime.self, from: entry.value) else { throw .undecodable(entry.key) }
                downtimes.append(downtime)
            case .maintenance:
                guard let lock = JSONText.decode(SharedMaintenanceLock.self, from: entry.value) else { throw .undecodable(entry.key) }
                maintenance.append(lock)
            case .candidate:
                guard let candidate = JSONText.decode(SharedCandidate.self, from: entry.value) else { throw .undecodable(entry.key) }
                candidates.append(candidate)
            case .recoveriesDisabled:
                recoveriesDisabled = true
            case .tags(let key):
                guard let named = JSONText.decode([String: String].self, from: entry.value) else { throw .undecodable(entry.key) }
                tags[key] = named
            case nil:
                continue  // written by a newer version: not ours to judge
            }
        }
        downtimes.sort { $0.key < $1.key }
        maintenance.sort { $0.key < $1.key }
        candidates.sort { $0.key < $1.key }
    }

    /// The downtimes in force at `now`: etcd holds a timed one on a lease rounded up to whole
    /// seconds, so it may still be listed shortly after it ended.
    package func downtimes(activeAt now: Date) -> [Downtime] {
        downtimes.filter { $0.endsAt.map { $0 > now } ?? true }
    }

    /// The locks held at `now` (same rounding as downtimes).
    package func maintenance(activeAt now: Date) -> [SharedMaintenanceLock] {
        maintenance.filter { $0.endsAt > now }
    }
}

/// Where each control lives, relative to `<prefix>controls/`.
package enum SharedControlKey: Equatable {
    case downtime(InstanceKey)
    case maintenance(InstanceKey)
    case candidate(InstanceKey)
    case recoveriesDisabled
    /// All of one instance's tags, in one value.
    case tags(InstanceKey)

    package static let prefix = "controls/"

    package var relative: String {
        switch self {
        case .downtime(let key): "downtime/\(key)"
        case .maintenance(let key): "maintenance/\(key)"
        case .candidate(let key): "candidate/\(key)"
        case .recoveriesDisabled: "recoveries-disabled"
        case .tags(let key): "tags/\(key)"
        }
    }

    package init?(relative: String) {
        if relative == "recoveries-disabled" {
            self = .recoveriesDisabled
            return
        }
        let parts = relative.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let key = try? InstanceKey(parsing: parts[1]) else { return nil }
        switch parts[0] {
        case "downtime": self = .downtime(key)
        case "maintenance": self = .maintenance(key)
        case "candidate": self = .candidate(key)
        case "tags": self = .tags(key)
        default: return nil
        }
    }
}

/// A maintenance lock an operator took (`begin-maintenance`). Locks an operation takes for the
/// moment it changes an instance stay in the leader's store: a new leader starts no operation
/// of the old one's.
package struct SharedMaintenanceLock: Sendable, Equatable, Codable {
    package var key: InstanceKey
    package var owner: String
    package var reason: String
    package var beginsAt: Date
    package var endsAt: Date
    /// The node that granted it.
    package var node: String

    package init(key: InstanceKey, owner: String, reason: String, beginsAt: Date, endsAt: Date, node: String) {
        self.key = key
        self.owner = owner
        self.reason = reason
        self.beginsAt = beginsAt
        self.endsAt = endsAt
        self.node = node
    }

    package var encoded: String { JSONText.encode(self) }

    package init?(decoding value: String) {
        guard let lock = JSONText.decode(Self.self, from: value) else { return nil }
        self = lock
    }
}

/// A promotion rule as registered, and when (it expires `CandidateInstanceExpireMinutes` later).
package struct SharedCandidate: Sendable, Equatable, Codable {
    package var key: InstanceKey
    package var rule: PromotionRule
    package var registeredAt: Date

    package init(key: InstanceKey, rule: PromotionRule, registeredAt: Date) {
        self.key = key
        self.rule = rule
        self.registeredAt = registeredAt
    }

    package var encoded: String { JSONText.encode(self) }
}

extension Downtime {
    package var encoded: String { JSONText.encode(self) }
}

/// One instance's tags as they are shared: name → value, keys sorted.
package enum SharedTags {
    package static func encode(_ tags: [String: String]) -> String { JSONText.encode(tags) }
}

package enum SharedControlsError: Error, Sendable, Equatable, CustomStringConvertible {
    case undecodable(String)

    package var description: String {
        switch self {
        case .undecodable(let key): "the shared control \(SharedControlKey.prefix)\(key) cannot be read"
        }
    }
}
