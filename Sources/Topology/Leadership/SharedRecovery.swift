import Foundation

/// A recovery as the leader publishes it in etcd, so a node that leads after it knows what was
/// recovered (anti-flapping, `recovery.md` §11) and what was left half-done, and does not
/// recover the same failure twice. Kept for `RecoveryPeriodBlockSeconds` (an etcd lease) or
/// until acknowledged.
package struct SharedRecovery: Sendable, Equatable, Codable {
    package var uid: String
    package var failed: String
    package var analysis: String
    package var clusterName: String
    package var clusterAlias: String
    package var replicas: [String]
    package var type: String
    package var recoveryType: String
    package var commandHint: String
    /// Unix seconds.
    package var started: Double
    /// Unix seconds; `nil` while it runs.
    package var ended: Double?
    package var successor: String?
    package var isSuccessful: Bool
    package var errors: [String]
    /// The node that ran it, and its process token.
    package var node: String
    package var token: String
    package var lastStep: String
    /// Set (fenced) right before the recovery's first change to a server.
    package var acting: Bool

    package init(_ recovery: TopologyRecovery, node: String, acting: Bool = false) {
        self.acting = acting || recovery.endRecovery != nil
        uid = recovery.uid
        failed = recovery.key.description
        analysis = recovery.analysis
        clusterName = recovery.clusterName
        clusterAlias = recovery.clusterAlias
        replicas = recovery.replicas.map(\.description)
        type = recovery.type
        recoveryType = recovery.recoveryType
        commandHint = recovery.commandHint
        started = recovery.startActivePeriod.timeIntervalSince1970
        ended = recovery.endRecovery?.timeIntervalSince1970
        successor = recovery.successor?.description
        isSuccessful = recovery.isSuccessful
        errors = recovery.allErrors
        self.node = node
        token = recovery.processingNodeToken
        lastStep = recovery.lastStep
    }

    /// Left by a leader that lost leadership before it changed any server (in its pre-failover
    /// hooks, say): fencing keeps that node from acting now, and nothing was half-done, so it
    /// blocks nobody and the new leader recovers the failure itself.
    package var wasAbandonedBeforeActing: Bool { ended == nil && !acting }

    /// The record as a node that did not run it keeps it: still in its active period, so it
    /// blocks as it would on the node that ran it. One that never ended was interrupted (its
    /// node lost leadership or died): it ends now, failed, saying how far it got, and blocks the
    /// same failure until someone acknowledges it.
    package func imported(at now: Date) -> TopologyRecovery? {
        guard let key = try? InstanceKey(parsing: failed) else { return nil }
        var recovery = TopologyRecovery(
            uid: uid, key: key, analysis: analysis, clusterName: clusterName, clusterAlias: clusterAlias,
            replicas: replicas.compactMap { try? InstanceKey(parsing: $0) }, type: type, recoveryType: recoveryType, commandHint: commandHint,
            startActivePeriod: Date(timeIntervalSince1970: started), processingNodeHostname: node, processingNodeToken: token
        )
        recovery.successor = successor.flatMap { try? InstanceKey(parsing: $0) }
        recovery.isSuccessful = isSuccessful
        recovery.allErrors = errors
        recovery.lastStep = lastStep
        if let ended {
            recovery.endRecovery = Date(timeIntervalSince1970: ended)
        } else {
            recovery.endRecovery = now
            recovery.isSuccessful = false
            recovery.allErrors.insert("interrupted: \(node), which ran it, no longer leads" + (lastStep.isEmpty ? "" : "; last step: \(lastStep)"), at: 0)
        }
        return recovery
    }

    package var encoded: String { JSONText.encode(self) }

    package init?(decoding value: String) {
        guard let record = JSONText.decode(SharedRecovery.self, from: value) else { return nil }
        self = record
    }
}
