import Foundation
import Store
import Testing
import Topology

@Suite struct SQLiteStoreAuditTests {
    static let start = Date(timeIntervalSince1970: 1_795_384_356)

    static func fill(_ store: SQLiteStore, count: Int) async throws {
        for index in 0..<count {
            let key = InstanceKey(hostname: "db", port: index % 2 == 0 ? 1 : 2)
            try await store.appendAudit(AuditEntry(timestamp: start.addingTimeInterval(Double(index)), type: "discover", instanceKey: key, message: "m\(index)"))
        }
    }

    @Test func pagesNewestFirst() async throws {
        let store = try SQLiteStore.inMemory()
        try await Self.fill(store, count: 25)
        let first = try await store.auditEntries(page: 0)
        #expect(first.map(\.message) == (5..<25).reversed().map { "m\($0)" })
        let second = try await store.auditEntries(page: 1)
        #expect(second.map(\.message) == (0..<5).reversed().map { "m\($0)" })
        #expect(try await store.auditEntries(page: 2).isEmpty)
        #expect(try await store.auditEntries(page: 0, pageSize: 3).map(\.message) == ["m24", "m23", "m22"])
        #expect(try await store.auditEntries(page: 0, pageSize: 0).isEmpty)
        #expect(try await store.auditEntries(page: -1, pageSize: 2).map(\.message) == ["m24", "m23"])
    }

    @Test func filtersByInstance() async throws {
        let store = try SQLiteStore.inMemory()
        try await Self.fill(store, count: 25)
        let odd = try await store.auditEntries(page: 0, instance: InstanceKey(hostname: "db", port: 2))
        #expect(odd.count == 12)
        #expect(odd.first?.message == "m23")
        #expect(odd.allSatisfy { $0.instanceKey == InstanceKey(hostname: "db", port: 2) })
        #expect(try await store.auditEntries(page: 0, instance: InstanceKey(hostname: "x", port: 1)).isEmpty)
    }

    @Test func entriesRoundTripWithTheirIds() async throws {
        let store = try SQLiteStore.inMemory()
        let keyed = AuditEntry(timestamp: Self.start.addingTimeInterval(0.25), type: "forget", instanceKey: InstanceKey(hostname: "db", port: 3306), message: "forgot")
        let global = AuditEntry(timestamp: Self.start, type: "reload-configuration", instanceKey: nil, message: "")
        let firstID = try await store.appendAudit(keyed)
        let secondID = try await store.appendAudit(global)
        #expect(secondID > firstID)
        var expectedKeyed = keyed
        expectedKeyed.id = firstID
        var expectedGlobal = global
        expectedGlobal.id = secondID
        #expect(try await store.auditEntries(page: 0) == [expectedGlobal, expectedKeyed])
    }
}
