import Foundation
import Testing
import Topology

/// The controls the nodes share through etcd, read back from the keys and values under the
/// controls prefix.
struct SharedControlsDecodingTests {
    let db1 = InstanceKey(hostname: "db1", port: 3306)
    let db2 = InstanceKey(hostname: "db2", port: 3306)
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func eachKindIsReadFromItsKey() throws {
        let downtime = Downtime(key: db1, owner: "ops", reason: "disk", beginsAt: now, endsAt: now.addingTimeInterval(60))
        let lock = SharedMaintenanceLock(key: db2, owner: "ops", reason: "backup", beginsAt: now, endsAt: now.addingTimeInterval(600), node: "n1:3000")
        let candidate = SharedCandidate(key: db2, rule: .preferNot, registeredAt: now)
        let controls = try SharedControls(entries: [
            (SharedControlKey.downtime(db1).relative, downtime.encoded),
            (SharedControlKey.maintenance(db2).relative, lock.encoded),
            (SharedControlKey.candidate(db2).relative, candidate.encoded),
            (SharedControlKey.recoveriesDisabled.relative, "1"),
        ])
        #expect(controls == SharedControls(downtimes: [downtime], maintenance: [lock], candidates: [candidate], recoveriesDisabled: true))
        #expect(SharedControlKey(relative: "downtime/db1:3306") == .downtime(db1))
    }

    @Test func nothingSharedMeansNothingSet() throws {
        #expect(try SharedControls(entries: []) == SharedControls())
    }

    @Test func anUnreadableEntryIsAnErrorNotAnAbsentControl() {
        #expect(throws: SharedControlsError.undecodable("downtime/db1:3306")) {
            try SharedControls(entries: [("downtime/db1:3306", "{not json")])
        }
    }

    @Test func keysOfANewerKindAreLeftAlone() throws {
        #expect(try SharedControls(entries: [("quota/db1:3306", "{}"), ("downtime", "{}")]) == SharedControls())
    }

    @Test func endedTimedControlsAreNotInForce() throws {
        let ended = Downtime(key: db1, beginsAt: now.addingTimeInterval(-120), endsAt: now.addingTimeInterval(-1))
        let open = Downtime(key: db2, beginsAt: now.addingTimeInterval(-120), endsAt: nil)
        let lock = SharedMaintenanceLock(key: db1, owner: "o", reason: "r", beginsAt: now.addingTimeInterval(-60), endsAt: now, node: "")
        let controls = SharedControls(downtimes: [ended, open], maintenance: [lock])
        #expect(controls.downtimes(activeAt: now) == [open])
        #expect(controls.maintenance(activeAt: now).isEmpty)
    }
}
