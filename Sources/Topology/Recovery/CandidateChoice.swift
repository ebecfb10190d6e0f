/// Whom to promote in place of a dead master, and why.
package struct CandidateChoice: Sendable, Equatable {
    /// The replica that becomes the master.
    package var promoted: InstanceKey
    /// Set for a two-step promotion: a more advanced replica that `promoted` first catches up
    /// from, so that nothing it received is lost.
    package var relay: InstanceKey?
    /// The rule that put `promoted` ahead of the runner-up.
    package var decidedBy: String
    /// The reasoning, in order, for people and for the recovery record.
    package var reasons: [String]
    /// Every replica, best first (excluded ones included, so the order is complete).
    package var ranking: [InstanceKey]
    /// Replicas that may not become the master, with every reason.
    package var excluded: [Exclusion]
}

/// A replica that may not be promoted.
package struct Exclusion: Sendable, Equatable, CustomStringConvertible {
    package var key: InstanceKey
    package var reasons: [String]

    package init(key: InstanceKey, reasons: [String]) {
        self.key = key
        self.reasons = reasons
    }

    package var description: String { "\(key): \(reasons.joined(separator: "; "))" }
}

/// Why no replica can be promoted.
package struct NoCandidateError: Error, Sendable, Equatable, CustomStringConvertible {
    package var failedMaster: InstanceKey
    package var excluded: [Exclusion]

    package var description: String {
        if excluded.isEmpty { return "no replica of \(failedMaster) to promote" }
        return "no replica of \(failedMaster) can be promoted: " + excluded.map(\.description).joined(separator: " | ")
    }
}
