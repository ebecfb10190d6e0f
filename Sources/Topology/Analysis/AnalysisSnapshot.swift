import Foundation

/// A downtime of one instance: recoveries skip it, analysis still reports it.
package struct Downtime: Sendable, Equatable, Codable {
    package var key: InstanceKey
    package var owner: String
    package var reason: String
    package var beginsAt: Date
    /// `nil` means "until ended by hand" (orchestrator ignores such rows; we honour them).
    package var endsAt: Date?

    package init(key: InstanceKey, owner: String = "", reason: String = "", beginsAt: Date, endsAt: Date?) {
        self.key = key
        self.owner = owner
        self.reason = reason
        self.beginsAt = beginsAt
        self.endsAt = endsAt
    }

    package func isActive(at now: Date) -> Bool {
        guard beginsAt <= now else { return false }
        guard let endsAt else { return true }
        return endsAt > now
    }
}

/// Binary log coordinates of a master seen unchanged since `firstSeen` (LockedSemiSyncMaster).
package struct StaleBinlogCoordinates: Sendable, Equatable {
    package var coordinates: BinlogCoordinates
    package var firstSeen: Date

    package init(coordinates: BinlogCoordinates, firstSeen: Date) {
        self.coordinates = coordinates
        self.firstSeen = firstSeen
    }
}

/// Everything analysis reads: the instances as last probed and the side facts, at one moment.
/// A plain value, so the same analysis runs on live data, on a fixture, or on a file.
package struct AnalysisSnapshot: Sendable {
    package var instances: [Instance]
    package var now: Date
    package var downtimes: [InstanceKey: Downtime]
    /// Instances under an active maintenance lock produce no analysis row at all.
    package var maintenance: Set<InstanceKey>
    package var staleBinlogCoordinates: [InstanceKey: StaleBinlogCoordinates]
    /// Cluster name → alias; clusters not listed use their name.
    package var clusterAliases: [String: String]
    /// Cluster name → domain; clusters not listed use their name.
    package var clusterDomains: [String: String]
    /// Binlog servers known from elsewhere than their version string (a snapshot file's backend state).
    package var binlogServers: Set<InstanceKey> = []

    package init(
        instances: [Instance],
        now: Date,
        downtimes: [InstanceKey: Downtime] = [:],
        maintenance: Set<InstanceKey> = [],
        staleBinlogCoordinates: [InstanceKey: StaleBinlogCoordinates] = [:],
        clusterAliases: [String: String] = [:],
        clusterDomains: [String: String] = [:]
    ) {
        self.instances = instances
        self.now = now
        self.downtimes = downtimes
        self.maintenance = maintenance
        self.staleBinlogCoordinates = staleBinlogCoordinates
        self.clusterAliases = clusterAliases
        self.clusterDomains = clusterDomains
    }
}
