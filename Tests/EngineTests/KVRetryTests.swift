import Engine
import Logging
import OrchestratorTesting
import ServiceLifecycleTestKit
import Store
import Testing
import Topology

/// KV retries belong to the publisher's service: a shutdown ends the wait before the next
/// attempt instead of waiting it out, and is itself awaited.
@Suite(.timeLimit(.minutes(1)))
struct KVRetryTests {
    @Test func aRetryWaitingForItsNextAttemptEndsAtShutdown() async throws {
        var logger = Logger(label: "test.kv")
        logger.logLevel = .critical
        // Nothing listens there: every write to it fails.
        let dead = EtcdKVStore(endpoints: ["http://127.0.0.1:\(try SandboxPorts.allocate(count: 1))"], timeout: .milliseconds(300))
        let store = try SQLiteStore.inMemory()
        let publisher = KVPublisher(stores: [dead], store: store, prefix: "mysql/master", retryDelays: [.seconds(3600)], logger: logger)
        await testGracefulShutdown { trigger in
            await withDiscardingTaskGroup { group in
                group.addTask { try? await publisher.run() }
                let failures = await publisher.publish([KVPair(key: "mysql/master/shop", value: "db:3306")], reason: "test")
                #expect(failures.map(\.store) == [dead.name])
                trigger.triggerGracefulShutdown()
            }
        }
        // run() returned within the time limit, so the hour-long wait ended with the shutdown.
        await publisher.waitForRetries()
        #expect(try await store.keyValue("mysql/master/shop") == "db:3306", "the internal store took the write")
        #expect(try await store.auditEntries(page: 0).contains { $0.type == "kv-write-failed" })
    }
}
