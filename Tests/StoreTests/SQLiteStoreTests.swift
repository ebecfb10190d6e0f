import Foundation
import Store
import Testing
import Topology

@Suite struct SQLiteStoreTests {
    static func populated(_ port: Int, cluster: String = "db:3306") -> Instance {
        var instance = Instance(key: InstanceKey(hostname: "db", port: port))
        instance.version = "10.11.6-MariaDB-log"
        instance.serverID = Int64(port)
        instance.readOnly = true
        instance.masterKey = InstanceKey(hostname: "db", port: 3306)
        instance.sqlThreadState = .running
        instance.ioThreadState = .other
        instance.secondsBehindMaster = 3
        instance.gtidCurrentPos = "0-1-100,1-2-5"
        instance.replicas = [InstanceKey(hostname: "r", port: 1)]
        instance.clusterName = cluster
        instance.replicationDepth = 1
        instance.promotionRule = .preferNot
        instance.lastIOError = "error connecting to master"
        instance.lastChecked = Date(timeIntervalSince1970: 1_800_000_000)
        instance.lastSeen = Date(timeIntervalSince1970: 1_799_999_990)
        instance.relaylogCoordinates = BinlogCoordinates(logFile: "relay-bin.000002", logPos: 627, type: .relay)
        return instance
    }

    @Test func roundTripsEveryField() async throws {
        let store = try SQLiteStore.inMemory()
        let instance = Self.populated(3307)
        try await store.upsertInstance(instance)
        #expect(try await store.instance(instance.key) == instance)
    }

    @Test func upsertReplacesAndForgetRemoves() async throws {
        let store = try SQLiteStore.inMemory()
        var instance = Self.populated(3307)
        try await store.upsertInstance(instance)
        instance.readOnly = false
        try await store.upsertInstance(instance)
        let all = try await store.allInstances()
        #expect(all.count == 1)
        #expect(all.first?.readOnly == false)
        #expect(try await store.forgetInstance(instance.key))
        let again = try await store.forgetInstance(instance.key)
        #expect(!again)
        #expect(try await store.instance(instance.key) == nil)
    }

    @Test func ordersAndFiltersByCluster() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.upsertInstances([Self.populated(3309), Self.populated(3307), Self.populated(4000, cluster: "other:1")])
        #expect(try await store.allInstances().map(\.key.port) == [3307, 3309, 4000])
        #expect(try await store.instances(inCluster: "db:3306").map(\.key.port) == [3307, 3309])
    }

    @Test func aliasesAndAuditPages() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.setClusterAlias("shop", forCluster: "db:3306")
        try await store.setClusterAlias("shop2", forCluster: "db:3306")
        #expect(try await store.clusterAliases() == ["db:3306": "shop2"])
        for index in 0..<25 {
            try await store.appendAudit(AuditEntry(timestamp: Date(), type: "discover", instanceKey: InstanceKey(hostname: "db", port: index % 2 == 0 ? 1 : 2), message: "m\(index)"))
        }
        let first = try await store.auditEntries(page: 0)
        #expect(first.count == 20)
        #expect(first.first?.message == "m24")
        #expect(try await store.auditEntries(page: 1).count == 5)
        #expect(try await store.auditEntries(page: 0, instance: InstanceKey(hostname: "db", port: 2)).count == 12)
    }

    @Test func fileStoreKeepsDataAcrossReopen() async throws {
        let path = NSTemporaryDirectory() + "store-test-\(UUID().uuidString).sqlite3"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let store = try SQLiteStore(path: path)
            try await store.upsertInstance(Self.populated(3307))
        }
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.allInstances().count == 1)
    }

    @Test func nonSQLiteFileIsAClearError() throws {
        let path = NSTemporaryDirectory() + "not-sqlite-\(UUID().uuidString)"
        try Data("this is not a database, just text that is long enough to be a header".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try SQLiteStore(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains(path))
        }
        do {
            _ = try SQLiteStore(path: "/nonexistent-dir/x.sqlite3")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("/nonexistent-dir/x.sqlite3"))
        }
    }
}
