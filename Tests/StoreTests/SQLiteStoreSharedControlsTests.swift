import Foundation
import Store
import Testing
import Topology

/// The store made to hold what the nodes share: replaced as a whole, except the locks an
/// operation took on this node, which a shared lock waits for.
struct SQLiteStoreSharedControlsTests {
    let db1 = InstanceKey(hostname: "db1", port: 3306)
    let db2 = InstanceKey(hostname: "db2", port: 3306)
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func theStoreHoldsWhatIsSharedAndNothingElse() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.beginDowntime(Downtime(key: db2, owner: "old", reason: "stale", beginsAt: now, endsAt: nil))
        try await store.registerCandidate(db2, rule: .prefer, at: now)
        try await store.putTag(db2, name: "stale", value: "yes", at: now)
        let downtime = Downtime(key: db1, owner: "ops", reason: "disk", beginsAt: now, endsAt: now.addingTimeInterval(600))
        let shared = SharedControls(
            downtimes: [downtime, Downtime(key: db2, beginsAt: now.addingTimeInterval(-60), endsAt: now.addingTimeInterval(-1))],
            maintenance: [SharedMaintenanceLock(key: db1, owner: "ops", reason: "backup", beginsAt: now, endsAt: now.addingTimeInterval(600), node: "n1")],
            candidates: [SharedCandidate(key: db1, rule: .mustNot, registeredAt: now)], recoveriesDisabled: true, tags: [db1: ["role": "backup"]]
        )
        #expect(try await store.mirror(shared, node: "n2", at: now))
        #expect(try await store.downtimes() == [downtime], "the ended one is not in force")
        #expect(try await store.promotionRules(registeredSince: .distantPast) == [db1: .mustNot])
        #expect(try await store.areGlobalRecoveriesDisabled())
        #expect(try await store.allTags() == [db1: ["role": "backup"]])
        #expect(try await store.activeMaintenance(at: now).map { "\($0.key) \($0.owner) \($0.isExplicit)" } == ["db1:3306 ops true"])

        #expect(try await store.mirror(SharedControls(), node: "n2", at: now.addingTimeInterval(1)))
        #expect(try await store.downtimes().isEmpty)
        #expect(try await store.allTags().isEmpty)
        #expect(try await !store.areGlobalRecoveriesDisabled())
        #expect(try await store.activeMaintenance(at: now.addingTimeInterval(1)).isEmpty, "a lock no longer shared ends")
    }

    @Test func aSharedLockWaitsForAnOperationsLockOnTheSameInstance() async throws {
        let store = try SQLiteStore.inMemory()
        let operation = try await store.beginMaintenance(
            db1, owner: "orchestrator", reason: "relocate", endsAt: now.addingTimeInterval(60), isExplicit: false, node: "n1", at: now
        )
        guard case .granted(let held) = operation else { Issue.record("not granted: \(operation)"); return }
        let shared = SharedControls(maintenance: [
            SharedMaintenanceLock(key: db1, owner: "ops", reason: "backup", beginsAt: now, endsAt: now.addingTimeInterval(600), node: "n1"),
        ])
        #expect(try await !store.mirror(shared, node: "n1", at: now), "not complete while the operation holds db1")
        #expect(try await store.activeMaintenance(at: now).map(\.reason) == ["relocate"], "the operation's lock is left alone")
        try await store.endMaintenance(id: held.id, at: now.addingTimeInterval(1))
        #expect(try await store.mirror(shared, node: "n1", at: now.addingTimeInterval(1)))
        #expect(try await store.activeMaintenance(at: now.addingTimeInterval(1)).map(\.reason) == ["backup"])
    }
}
