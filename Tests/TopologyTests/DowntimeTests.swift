import Foundation
import Testing
import Topology

/// Downtime durations as orchestrator parses them, and when a lost-in-recovery downtime ends.
struct DowntimeTests {
    @Test(arguments: [("30s", 30.0), ("10m", 600), ("2h", 7200), ("1d", 86400), ("1w", 604_800), ("45", 45), ("0m", 0)])
    func durations(text: String, seconds: Double) throws {
        #expect(try DowntimeDuration.parse(text) == seconds)
    }

    @Test(arguments: ["", "m", "10x", "-5m", "1.5h", "ten minutes"])
    func unparsableDurationsNameThemselves(text: String) {
        #expect(throws: DowntimeDurationError.unparsable(text)) { try DowntimeDuration.parse(text) }
        #expect(DowntimeDurationError.unparsable(text).description == "Cannot parse simple time: \(text)")
    }

    static let began = Date(timeIntervalSince1970: 1_800_000_000)

    static func instance(replicating: Bool, depth: Int = 1, valid: Bool = true) -> Instance {
        var instance = Instance(key: InstanceKey(hostname: "db", port: 3307))
        instance.replicationDepth = depth
        instance.suggestedClusterAlias = "shop"
        if replicating {
            instance.masterKey = InstanceKey(hostname: "db", port: 3306)
            instance.readBinlogCoordinates = BinlogCoordinates(logFile: "mysql-bin.000001", logPos: 4)
            instance.ioThreadState = .running
            instance.sqlThreadState = .running
        }
        if valid {
            instance.lastChecked = began.addingTimeInterval(120)
            instance.lastSeen = began.addingTimeInterval(120)
        } else {
            instance.lastChecked = began.addingTimeInterval(120)
        }
        return instance
    }

    @Test func aLostInRecoveryDowntimeEndsOnceTheInstanceIsBack() {
        let downtime = Downtime(key: InstanceKey(hostname: "db", port: 3307), owner: "orchestrator", reason: Downtime.lostInRecoveryReason, beginsAt: Self.began, endsAt: nil)
        let later = Self.began.addingTimeInterval(120)
        #expect(downtime.lostInRecoveryHasEnded(for: Self.instance(replicating: true), now: later, isSoleHolderOfItsAlias: false))
        // Not within its first minute, not while unreachable or not replicating.
        #expect(!downtime.lostInRecoveryHasEnded(for: Self.instance(replicating: true), now: Self.began.addingTimeInterval(30), isSoleHolderOfItsAlias: false))
        #expect(!downtime.lostInRecoveryHasEnded(for: Self.instance(replicating: true, valid: false), now: later, isSoleHolderOfItsAlias: false))
        #expect(!downtime.lostInRecoveryHasEnded(for: Self.instance(replicating: false), now: later, isSoleHolderOfItsAlias: true))
        // A master back alone under its alias.
        #expect(downtime.lostInRecoveryHasEnded(for: Self.instance(replicating: false, depth: 0), now: later, isSoleHolderOfItsAlias: true))
        #expect(!downtime.lostInRecoveryHasEnded(for: Self.instance(replicating: false, depth: 0), now: later, isSoleHolderOfItsAlias: false))
        // An operator's downtime never ends this way.
        var manual = downtime
        manual.reason = "upgrade"
        #expect(!manual.lostInRecoveryHasEnded(for: Self.instance(replicating: true), now: later, isSoleHolderOfItsAlias: false))
    }
}
