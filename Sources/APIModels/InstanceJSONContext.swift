import Foundation

/// What the Instance JSON needs beyond the instance: the time, the poll interval, and whether
/// the instance was just probed (orchestrator leaves backend-derived fields at zero then).
package struct InstanceJSONContext: Sendable {
    package var now: Date
    package var pollSeconds: Double
    package var reasonableReplicationLagSeconds: Int64
    package var freshlyProbed: Bool

    package init(now: Date, pollSeconds: Double, reasonableReplicationLagSeconds: Int64 = 10, freshlyProbed: Bool = false) {
        self.now = now
        self.pollSeconds = pollSeconds
        self.reasonableReplicationLagSeconds = reasonableReplicationLagSeconds
        self.freshlyProbed = freshlyProbed
    }
}
