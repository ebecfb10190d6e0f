import Foundation

/// What the Instance JSON needs beyond the instance itself: the moment of the answer, the
/// poll interval (staleness), the lag threshold (problems), and whether the instance was just
/// probed rather than read back (orchestrator leaves backend-derived fields at zero then,
/// `json.md` §5.3).
package struct InstanceJSONContext: Sendable {
    package var now: Date
    /// `InstancePollSeconds`.
    package var pollSeconds: Double
    /// `ReasonableReplicationLagSeconds`.
    package var reasonableReplicationLagSeconds: Int64
    /// Answers of `discover` and write operations.
    package var freshlyProbed: Bool

    package init(now: Date, pollSeconds: Double, reasonableReplicationLagSeconds: Int64 = 10, freshlyProbed: Bool = false) {
        self.now = now
        self.pollSeconds = pollSeconds
        self.reasonableReplicationLagSeconds = reasonableReplicationLagSeconds
        self.freshlyProbed = freshlyProbed
    }
}
