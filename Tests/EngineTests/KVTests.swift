import Engine
import Foundation
import Logging
import OrchestratorTesting
import Sandbox
import Store
import Testing
import Topology

/// Master discovery in real etcd and ZooKeeper servers.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct KVTests {
    /// A ZooKeeper just started (a JVM warming up on a loaded machine) can take seconds to open
    /// its first sessions.
    static let startingServerTimeout: Duration = .seconds(15)

    @Test func etcdAndZooKeeperStoreWhatIsPutAndOverwrite() async throws {
        try await withEtcd { etcd in
            try await withZooKeeper { zookeeper in
                let stores: [any KVStore] = [
                    EtcdKVStore(endpoints: ["http://127.0.0.1:\(etcd.port)"], timeout: Self.startingServerTimeout), ZooKeeperKVStore(address: "127.0.0.1:\(zookeeper.port)", timeout: Self.startingServerTimeout),
                ]
                let pairs = KVMasterEntries.pairs(
                    prefix: "mysql/master", clusterAlias: "shop", master: InstanceKey(hostname: "db1", port: 3306), ipv4: "10.0.0.1", ipv6: ""
                )
                for store in stores {
                    try await store.put(pairs)
                    #expect(try await store.get("mysql/master/shop") == "db1:3306", "\(store.name)")
                    #expect(try await store.get("mysql/master/shop/port") == "3306", "\(store.name)")
                    #expect(try await store.get("mysql/master/shop/ipv6") == "", "\(store.name)")
                    try await store.put([KVPair(key: "mysql/master/shop", value: "db2:3306")])
                    #expect(try await store.get("mysql/master/shop") == "db2:3306", "\(store.name)")
                    #expect(try await store.get("mysql/master/other") == nil, "\(store.name)")
                }
            }
        }
    }

    @Test func aDownStoreFailsLoudlyNamingItself() async throws {
        let port = try SandboxPorts.allocate(count: 1)
        let etcd = EtcdKVStore(endpoints: ["http://127.0.0.1:\(port)"], timeout: .seconds(1))
        do {
            try await etcd.put([KVPair(key: "k", value: "v")])
            Issue.record("a write to a dead etcd succeeded")
        } catch {
            #expect(error.description.hasPrefix("cannot write k to etcd http://127.0.0.1:\(port)"))
        }
        let zookeeper = ZooKeeperKVStore(address: "127.0.0.1:\(port)", timeout: .milliseconds(500))
        await #expect(throws: KVError.self) { try await zookeeper.put([KVPair(key: "k", value: "v")]) }
    }

    @Test func aFailoverPublishesTheNewMasterAndSurvivesADeadEtcd() async throws {
        try await withEtcd { etcd in
            try await withZooKeeper { zookeeper in
                let etcdStore = EtcdKVStore(endpoints: ["http://127.0.0.1:\(etcd.port)"], timeout: .seconds(1))
                let zookeeperStore = ZooKeeperKVStore(address: "127.0.0.1:\(zookeeper.port)", timeout: Self.startingServerTimeout)
                try await withSandbox(topology: "1>0,2>0") { sandbox in
                    try await withDetection(recovery: RecoveryConfiguration(), kvStores: [etcdStore, zookeeperStore]) { harness in
                        let keys = try await DetectionTests.discovered(sandbox, harness)
                        let alias = keys[0].description
                        try sandbox.kill(0)
                        let first = try #require(try await RecoveryTests.finishedRecovery(of: keys[0], harness))
                        let promoted = try #require(first.successor)
                        for store in [etcdStore, zookeeperStore] as [any KVStore] {
                            let published = try await expectEventually(timeout: .seconds(30)) {
                                (try? await store.get("mysql/master/\(alias)")) == promoted.description
                            }
                            try #require(published, "\(store.name) holds the new master")
                        }
                        #expect(try await harness.store.keyValue("mysql/master/\(alias)/hostname") == promoted.hostname)
                        let journaled = try await expectEventually(timeout: .seconds(30)) {
                            let steps = (try? await harness.store.recoverySteps(uid: first.uid).map(\.message)) ?? []
                            return steps.contains { $0.contains("KV: mysql/master/\(alias):\(promoted)") }
                        }
                        let steps = try await harness.store.recoverySteps(uid: first.uid).map(\.message)
                        try #require(journaled, "\(steps)")

                        // etcd goes away; the next failover still completes, and says so.
                        await etcd.stop()
                        try await harness.store.acknowledgeRecoveries(.all, by: "test", comment: "next", at: Date())
                        let promotedIndex = try #require(keys.firstIndex(of: promoted))
                        let settled = try await expectEventually(timeout: .seconds(30)) {
                            await harness.discovery.registry.replicas(of: promoted).filter(\.isReplicationRunning).count == 1
                        }
                        try #require(settled)
                        try sandbox.kill(promotedIndex)
                        let second = try #require(try await RecoveryTests.finishedRecovery(of: promoted, harness))
                        #expect(second.isSuccessful, "\(second.allErrors)")
                        let survivor = try #require(second.successor)
                        let zookeeperUpdated = try await expectEventually(timeout: .seconds(30)) {
                            (try? await zookeeperStore.get("mysql/master/\(second.clusterAlias)")) == survivor.description
                        }
                        try #require(zookeeperUpdated, "ZooKeeper still learns the new master")
                        let audited = try await expectEventually(timeout: .seconds(30)) {
                            ((try? await harness.store.auditEntries(page: 0)) ?? []).contains { $0.type == "kv-write-failed" && $0.message.contains("etcd") }
                        }
                        try #require(audited, "the failed etcd write is in the audit")
                        await harness.recovery?.waitForBackgroundWork()
                    }
                }
            }
        }
    }
    @Test func periodicSubmissionWritesWhatChangedAndRetriesWhatAStoreRefused() async throws {
        try await withEtcd { etcd in
            let up = EtcdKVStore(endpoints: ["http://127.0.0.1:\(etcd.port)"], timeout: .seconds(1))
            let down = EtcdKVStore(endpoints: ["http://127.0.0.1:\(try SandboxPorts.allocate(count: 1))"], timeout: .milliseconds(300))
            try await withSandbox(topology: "1>0") { sandbox in
                try await withDetection(recovery: RecoveryConfiguration()) { harness in
                    let keys = try await DetectionTests.discovered(sandbox, harness)
                    let alias = keys[0].description
                    var logger = Logger(label: "test.kv")
                    logger.logLevel = .critical
                    let healthy = KVMasterSubmitter(
                        kv: KVPublisher(stores: [up], store: harness.store, prefix: "mysql/master", retryDelays: [], logger: logger),
                        registry: harness.discovery.registry, startupDelay: .zero, logger: logger
                    )
                    let first = await healthy.submitChanged()
                    #expect(first.map(\.key) == ["mysql/master/\(alias)", "mysql/master/\(alias)/hostname", "mysql/master/\(alias)/port", "mysql/master/\(alias)/ipv4", "mysql/master/\(alias)/ipv6"])
                    #expect(try await up.get("mysql/master/\(alias)") == alias)
                    #expect(await healthy.submitChanged().isEmpty, "nothing changed, nothing written")

                    // The internal store drifted on one key: only that key is submitted; a store that
                    // refuses it keeps getting it, although the internal store then holds it.
                    let failing = KVMasterSubmitter(
                        kv: KVPublisher(stores: [down], store: harness.store, prefix: "mysql/master", retryDelays: [], logger: logger),
                        registry: harness.discovery.registry, startupDelay: .zero, logger: logger
                    )
                    try await harness.store.putKeyValues([KVPair(key: "mysql/master/\(alias)", value: "elsewhere:1")], at: Date())
                    #expect(await failing.submitChanged().map(\.key) == ["mysql/master/\(alias)"])
                    #expect(await failing.submitChanged().map(\.key) == ["mysql/master/\(alias)"], "refused, so submitted again")
                }
            }
        }
    }
}
