import Foundation
import Store
import Testing
import Topology

/// Maintenance locks: one holder per instance, refusals name it, expired locks never block.
struct SQLiteStoreMaintenanceTests {
    let key = InstanceKey(hostname: "db1", port: 3306)
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func oneHolderAtATimeAndTheRefusalNamesIt() async throws {
        let store = try SQLiteStore.inMemory()
        let first = try await store.beginMaintenance(
            key, owner: "alice", reason: "upgrade", endsAt: start.addingTimeInterval(600), isExplicit: true, node: "n1", at: start
        )
        guard case .granted(let entry) = first else { Issue.record("not granted: \(first)"); return }
        #expect(entry.owner == "alice" && entry.isActive)
        let second = try await store.beginMaintenance(
            key, owner: "orchestrator", reason: "move up", endsAt: start.addingTimeInterval(600), isExplicit: false, node: "n1", at: start.addingTimeInterval(1)
        )
        guard case .refused(let conflict) = second else { Issue.record("granted twice"); return }
        #expect(conflict.holder.id == entry.id)
        #expect(conflict.description.hasPrefix("db1:3306 is in maintenance by alice since "))
        #expect(conflict.description.hasSuffix(": upgrade"))
        // Another instance is independent.
        let other = try await store.beginMaintenance(
            InstanceKey(hostname: "db2", port: 3306), owner: "bob", reason: "r", endsAt: start.addingTimeInterval(600), isExplicit: true, node: "n1", at: start
        )
        if case .refused = other { Issue.record("a lock on db1 blocked db2") }
        #expect(try await store.activeMaintenance(at: start).map(\.key.hostname) == ["db1", "db2"])

        #expect(try await store.endMaintenance(id: entry.id, at: start.addingTimeInterval(2)))
        #expect(try await store.endMaintenance(id: entry.id, at: start.addingTimeInterval(3)) == false)
        let third = try await store.beginMaintenance(
            key, owner: "carol", reason: "again", endsAt: start.addingTimeInterval(600), isExplicit: true, node: "n1", at: start.addingTimeInterval(4)
        )
        if case .refused = third { Issue.record("an ended lock still blocks") }
        #expect(try await store.endMaintenance(key, at: start.addingTimeInterval(5)))
        #expect(try await store.activeMaintenance(at: start.addingTimeInterval(5)).map(\.key.hostname) == ["db2"])
    }

    @Test func anExpiredLockNeitherBlocksNorIsListed() async throws {
        let store = try SQLiteStore.inMemory()
        _ = try await store.beginMaintenance(key, owner: "alice", reason: "short", endsAt: start.addingTimeInterval(10), isExplicit: true, node: "n1", at: start)
        let later = start.addingTimeInterval(11)
        #expect(try await store.activeMaintenance(at: later).isEmpty)
        let again = try await store.beginMaintenance(key, owner: "bob", reason: "next", endsAt: later.addingTimeInterval(600), isExplicit: true, node: "n1", at: later)
        guard case .granted(let entry) = again else { Issue.record("an expired lock blocked: \(again)"); return }
        #expect(entry.owner == "bob")
        #expect(try await store.expireMaintenance(at: later.addingTimeInterval(601)) == 1)
        #expect(try await store.activeMaintenance(at: later).isEmpty)
    }
}
