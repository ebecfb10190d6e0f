import Foundation
import Store
import Testing
import Topology

@Suite struct SQLiteStoreInstanceTests {
    @Test func fixtureSetsEveryField() {
        #expect(InstanceSample.fieldsLeftAtDefault() == [], "set these in InstanceSample.populated()")
    }

    @Test func roundTripsEveryField() async throws {
        let store = try SQLiteStore.inMemory()
        let instance = InstanceSample.populated()
        try await store.upsertInstance(instance)
        let read = try #require(try await store.instance(instance.key))
        #expect(read == instance)
        #expect(try await store.instance(InstanceKey(hostname: "db", port: 9999)) == nil)
    }

    @Test func upsertReplaces() async throws {
        let store = try SQLiteStore.inMemory()
        var instance = InstanceSample.populated()
        try await store.upsertInstance(instance)
        instance.readOnly = false
        instance.clusterName = "other:1"
        instance.secondsBehindMaster = nil
        try await store.upsertInstance(instance)
        #expect(try await store.allInstances() == [instance])
        #expect(try await store.instances(inCluster: "other:1") == [instance])
        #expect(try await store.instances(inCluster: "db:3306").isEmpty)
    }

    @Test func forgetRemovesOnce() async throws {
        let store = try SQLiteStore.inMemory()
        let instance = InstanceSample.populated()
        try await store.upsertInstances([instance, InstanceSample.populated(port: 3308)])
        #expect(try await store.forgetInstance(instance.key))
        #expect(try await !store.forgetInstance(instance.key))
        #expect(try await store.instance(instance.key) == nil)
        #expect(try await store.allInstances().map(\.key.port) == [3308])
    }

    @Test func ordersByHostThenPortAndFiltersByCluster() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.upsertInstances([
            InstanceSample.populated(host: "db", port: 3309),
            InstanceSample.populated(host: "b", port: 4000, cluster: "other:1"),
            InstanceSample.populated(host: "db", port: 3307),
            InstanceSample.populated(host: "db", port: 10),
        ])
        try await store.upsertInstances([])
        #expect(try await store.allInstances().map(\.key.description) == ["b:4000", "db:10", "db:3307", "db:3309"])
        #expect(try await store.instances(inCluster: "db:3306").map(\.key.port) == [10, 3307, 3309])
        #expect(try await store.instances(inCluster: "nope:1").isEmpty)
    }

    @Test func aliasesAreSetAndReplaced() async throws {
        let store = try SQLiteStore.inMemory()
        #expect(try await store.clusterAliases().isEmpty)
        try await store.setClusterAlias("shop", forCluster: "db:3306")
        try await store.setClusterAlias("billing", forCluster: "other:1")
        try await store.setClusterAlias("shop2", forCluster: "db:3306")
        #expect(try await store.clusterAliases() == ["db:3306": "shop2", "other:1": "billing"])
    }
}

/// A store written by an earlier version, before some instance fields existed, still loads.
struct SQLiteStoreUpgradeTests {
    @Test func rowsWithoutNewerFieldsTakeTheirDefaults() throws {
        var instance = Instance(key: InstanceKey(hostname: "db", port: 3306))
        instance.version = "10.11.6-MariaDB-log"
        instance.unresolvedHostname = "vip"
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(instance)) as? [String: Any])
        object["unresolvedHostname"] = nil
        object["gtidErrant"] = nil
        let old = try JSONSerialization.data(withJSONObject: object)
        let decoded = try SQLiteStore.decodeInstance(old, decoder: JSONDecoder())
        #expect(decoded.key == instance.key && decoded.version == "10.11.6-MariaDB-log")
        #expect(decoded.unresolvedHostname == "" && decoded.gtidErrant == "")
        #expect(throws: (any Error).self) { try SQLiteStore.decodeInstance(Data("[1]".utf8), decoder: JSONDecoder()) }
    }
}
