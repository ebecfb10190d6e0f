import Foundation
import Store
import Testing
import Topology

@Suite struct SQLiteStoreOpeningTests {
    static let migrations = ["v1-instances-aliases-audit", "v2-failure-detection", "v3-recovery", "v4-kv", "v5-maintenance", "v6-downtime", "v7-tags", "v8-pools-unresolve-history", "v9-node-health"]

    /// A fresh path in the temporary directory, removed (with WAL files) after `body`.
    static func withTemporaryPath(_ body: (String) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("store-test-\(UUID().uuidString).sqlite3").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try await body(path)
    }

    @Test func freshInMemoryStoreIsMigratedAndEmpty() async throws {
        let store = try SQLiteStore.inMemory()
        #expect(try await store.appliedMigrations() == Self.migrations)
        #expect(try await store.allInstances().isEmpty)
        #expect(try await store.auditEntries(page: 0).isEmpty)
        #expect(store.path == ":memory:")
    }

    @Test func inMemoryStoresAreSeparate() async throws {
        let first = try SQLiteStore.inMemory()
        let second = try SQLiteStore.inMemory()
        try await first.upsertInstance(InstanceSample.populated())
        #expect(try await second.allInstances().isEmpty)
    }

    @Test func fileStoreKeepsDataAcrossReopen() async throws {
        try await Self.withTemporaryPath { path in
            let instance = InstanceSample.populated()
            do {
                let store = try SQLiteStore(path: path)
                #expect(try await store.appliedMigrations() == Self.migrations)
                try await store.upsertInstance(instance)
                try await store.setClusterAlias("shop", forCluster: "db:3306")
                try await store.appendAudit(AuditEntry(timestamp: Date(timeIntervalSince1970: 1_795_384_356), type: "discover", instanceKey: instance.key, message: "x"))
            }
            #expect(FileManager.default.fileExists(atPath: path))
            // Reopening runs the migrator again: nothing to apply, nothing lost.
            let reopened = try SQLiteStore(path: path)
            #expect(try await reopened.appliedMigrations() == Self.migrations)
            #expect(try await reopened.allInstances() == [instance])
            #expect(try await reopened.clusterAliases() == ["db:3306": "shop"])
            #expect(try await reopened.auditEntries(page: 0).count == 1)
        }
    }

    @Test func twoHandlesOnOneFileSeeEachOthersWrites() async throws {
        try await Self.withTemporaryPath { path in
            let writer = try SQLiteStore(path: path)
            let reader = try SQLiteStore(path: path)
            try await writer.upsertInstance(InstanceSample.populated())
            #expect(try await reader.allInstances().count == 1)
        }
    }

    @Test func nonSQLiteFileIsAnErrorNamingThePath() async throws {
        try await Self.withTemporaryPath { path in
            try Data(String(repeating: "this is not a database, just text. ", count: 100).utf8).write(to: URL(fileURLWithPath: path))
            do throws(StoreError) {
                _ = try SQLiteStore(path: path)
                Issue.record("expected an error")
            } catch {
                #expect(error.path == path)
                #expect(error.operation == "open")
                #expect(error.description.contains(path))
                #expect(error.description.contains("not a database"))
            }
        }
    }

    @Test func missingDirectoryIsAnErrorNamingThePath() throws {
        let path = "/nonexistent-\(UUID().uuidString)/orchestrator.sqlite3"
        do throws(StoreError) {
            _ = try SQLiteStore(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains(path))
            #expect(error.description.contains("does not exist"))
        }
    }
}
