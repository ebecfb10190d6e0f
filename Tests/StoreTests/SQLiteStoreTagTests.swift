import Foundation
import Store
import Testing
import Topology

/// Instance tags in the store: set, replaced, read sorted, removed by name, value and instance.
struct SQLiteStoreTagTests {
    let db1 = InstanceKey(hostname: "db", port: 3306)
    let db2 = InstanceKey(hostname: "db", port: 3307)
    let other = InstanceKey(hostname: "another", port: 3306)
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func tagged() async throws -> SQLiteStore {
        let store = try SQLiteStore.inMemory()
        try await store.putTag(db1, name: "role", value: "primary", at: now)
        try await store.putTag(db1, name: "backup", value: "", at: now)
        try await store.putTag(db2, name: "role", value: "replica", at: now)
        try await store.putTag(other, name: "role", value: "replica", at: now)
        return store
    }

    @Test func tagsAreReadSortedByNameAndAValueIsReplaced() async throws {
        let store = try await tagged()
        #expect(try await store.tags(of: db1) == [InstanceTag(name: "backup", value: ""), InstanceTag(name: "role", value: "primary")])
        try await store.putTag(db1, name: "role", value: "old-primary", at: now.addingTimeInterval(60))
        #expect(try await store.tags(of: db1).last == InstanceTag(name: "role", value: "old-primary"))
        #expect(try await store.tags(of: InstanceKey(hostname: "nowhere", port: 1)) == [])
    }

    @Test func allTagsListsOnlyTaggedInstances() async throws {
        let store = try await tagged()
        #expect(try await store.allTags() == [
            db1: ["role": "primary", "backup": ""],
            db2: ["role": "replica"],
            other: ["role": "replica"],
        ])
        #expect(try await SQLiteStore.inMemory().allTags() == [:])
    }

    @Test func removingFromOneInstanceByNameOrByValue() async throws {
        let store = try await tagged()
        #expect(try await store.removeTag(name: "role", value: "replica", from: db1) == [])
        #expect(try await store.removeTag(name: "role", value: nil, from: db1) == [db1])
        #expect(try await store.tags(of: db1) == [InstanceTag(name: "backup", value: "")])
        #expect(try await store.tags(of: db2) == [InstanceTag(name: "role", value: "replica")])
    }

    @Test func removingFromEveryInstanceAnswersTheKeysSorted() async throws {
        let store = try await tagged()
        #expect(try await store.removeTag(name: "role", value: "replica", from: nil) == [other, db2])
        #expect(try await store.allTags() == [db1: ["role": "primary", "backup": ""]])
        #expect(try await store.removeTag(name: "role", value: "replica", from: nil) == [])
    }

    @Test func tagsSurviveReopening() async throws {
        try await SQLiteStoreOpeningTests.withTemporaryPath { path in
            do {
                let store = try SQLiteStore(path: path)
                try await store.putTag(db1, name: "env", value: "prod", at: now)
            }
            #expect(try await SQLiteStore(path: path).tags(of: db1) == [InstanceTag(name: "env", value: "prod")])
        }
    }
}
