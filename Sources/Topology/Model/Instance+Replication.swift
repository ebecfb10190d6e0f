import Foundation

extension Instance {
    /// orchestrator's `IsReplica`: a usable master key, and either a read binlog file or GTID in use.
    package var isReplica: Bool {
        masterKey.hostname != "" && masterKey.hostname != "_" && masterKey.port != 0
            && (!readBinlogCoordinates.logFile.isEmpty || usingGTID)
    }

    package var usingGTID: Bool { usingOracleGTID || usingMariaDBGTID }
    package var supportsOracleGTID: Bool { !gtidMode.isEmpty && gtidMode != "OFF" }
    package var isReplicationRunning: Bool { isReplica && sqlThreadState.isRunning && ioThreadState.isRunning }
    package var isDetachedMaster: Bool { masterKey.hostname.hasPrefix("//") }
    /// Executed coordinates carrying orchestrator's legacy detach marker (`//file:pos`).
    package var isDetached: Bool { execBinlogCoordinates.logFile.hasPrefix("//") }
    package var isMariaDB: Bool { version.contains("MariaDB") }

    /// A binlog server: the version names MaxScale (any case). A byte scan: analysis asks this
    /// for every instance, and Foundation's case-insensitive search costs far more.
    package var isBinlogServer: Bool {
        let needle = Array("maxscale".utf8)
        let bytes = Array(self.version.utf8)
        guard bytes.count >= needle.count else { return false }
        for start in 0...(bytes.count - needle.count) {
            var matched = true
            for offset in 0..<needle.count where bytes[start + offset] | 0x20 != needle[offset] {
                matched = false
                break
            }
            if matched { return true }
        }
        return false
    }

    package var flavorName: String {
        if version.lowercased().contains("maxscale") { return "MaxScale" }
        if isMariaDB { return "MariaDB" }
        if versionComment.contains("Percona") { return "Percona" }
        if version.isEmpty { return "unknown" }
        return "MySQL"
    }

    /// `10.11` from `10.11.19-MariaDB-log`.
    package var majorVersion: String {
        version.split(separator: ".").prefix(2).joined(separator: ".")
    }

    /// The latest probe succeeded (orchestrator: `last_checked <= last_seen`).
    package var isLastCheckValid: Bool {
        guard let lastSeen, let lastChecked else { return false }
        return lastChecked <= lastSeen
    }

    /// Checked within `pollSeconds` of `now`.
    package func isUpToDate(now: Date, pollSeconds: Double) -> Bool {
        guard let lastChecked else { return false }
        return now.timeIntervalSince(lastChecked) <= pollSeconds
    }

    /// Checked within 5 × `pollSeconds` of `now`.
    package func isRecentlyChecked(now: Date, pollSeconds: Double) -> Bool {
        guard let lastChecked else { return false }
        return now.timeIntervalSince(lastChecked) <= 5 * pollSeconds
    }

    package func secondsSinceLastSeen(now: Date) -> Int64? {
        guard let lastSeen else { return nil }
        return Int64(now.timeIntervalSince(lastSeen).rounded(.down))
    }

    /// `SecondsBehindMaster` (or its SQL delay) within `threshold` seconds.
    package func hasReasonableReplicationLag(threshold: Int64) -> Bool {
        let behind = secondsBehindMaster ?? 0
        if sqlDelay > 0 { return abs(behind - sqlDelay) <= threshold }
        return behind <= threshold
    }
}
