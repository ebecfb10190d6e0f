import Foundation
import Store
import Testing
import Topology

struct SQLiteStoreDowntimeTests {
    @Test func aDowntimeIsReplacedEndedAndKeptWithoutAnEnd() async throws {
        let store = try SQLiteStore.inMemory()
        let key = InstanceKey(hostname: "db", port: 3306)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try await store.beginDowntime(Downtime(key: key, owner: "alice", reason: "upgrade", beginsAt: start, endsAt: start.addingTimeInterval(600)))
        try await store.beginDowntime(Downtime(key: key, owner: "bob", reason: "reboot", beginsAt: start.addingTimeInterval(5), endsAt: nil))
        try await store.beginDowntime(Downtime(key: InstanceKey(hostname: "db", port: 3307), owner: "o", reason: "r", beginsAt: start, endsAt: start))
        let all = try await store.downtimes()
        #expect(all.count == 2)
        #expect(all.first == Downtime(key: key, owner: "bob", reason: "reboot", beginsAt: start.addingTimeInterval(5), endsAt: nil))
        #expect(try await store.endDowntime(key))
        #expect(try await store.endDowntime(key) == false)
        #expect(try await store.downtimes().map(\.key.port) == [3307])
    }
}
