import Topology

/// The outcome of trying to register a recovery.
package enum RecoveryRegistration: Sendable, Equatable {
    case registered(TopologyRecovery)
    /// Blocked by recoveries still in their active period (anti-flapping).
    case blocked(by: [Int64])
    /// A recovery of this very instance is already active.
    case alreadyActive
}

/// Which recoveries an acknowledgement covers.
package enum RecoverySelection: Sendable, Equatable {
    case all
    case id(Int64)
    case uid(String)
    case instance(InstanceKey)
    case cluster(name: String, alias: String)
}
