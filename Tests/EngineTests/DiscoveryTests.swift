import Engine
import Foundation
import MySQLClient
import OrchestratorTesting
import Sandbox
import Testing
import Topology

@Suite(.serialized, .timeLimit(.minutes(15)))
struct DiscoveryTests {
    @Test func discoversWholeTopologyFromReplicaOfReplica() async throws {
        try await Self.discoversWholeTopologyFromReplicaOfReplicaScenario()
    }

    /// `DiscoverByShowSlaveHosts` off: a master's replicas are read from its binlog dump threads
    /// (`SHOW PROCESSLIST`), each assumed to listen on the master's own port (orchestrator's
    /// rule), so two sandbox replicas on 127.0.0.1 collapse into one such key.
    @Test func withoutShowSlaveHostsReplicasAreFoundFromTheBinlogDumpThreads() async throws {
        try await withSandbox(topology: "1>0,2>0") { sandbox in
            let ports = sandbox.instances.map(\.port)
            try await withDiscovery(discoverByShowSlaveHosts: false) { discovery, _ in
                let master = try await discovery.discover(localKey(ports[0]))
                #expect(master.replicas == [localKey(ports[0])], "two dump threads from 127.0.0.1, both assumed on the master's port: \(master.replicas)")
            }
        }
    }

    /// `async-discover`: the call answers at once; the discovery service probes and crawls in
    /// its own task group.
    @Test func aDiscoveryInTheBackgroundFindsTheTopology() async throws {
        try await withSandbox(topology: "1>0") { sandbox in
            let ports = sandbox.instances.map(\.port)
            try await withDiscovery { discovery, _ in
                #expect(discovery.discoverInBackground(localKey(ports[1])))
                let found = try await expectEventually(timeout: .seconds(30)) {
                    let all = await discovery.registry.allInstances()
                    return all.count == 2 && all.allSatisfy(\.isLastCheckValid)
                }
                let known = await discovery.registry.allInstances().map { "\($0.key): \($0.lastProbeError)" }
                try #require(found, "\(known)")
            }
        }
    }

    static func discoversWholeTopologyFromReplicaOfReplicaScenario() async throws {
        try await withSandbox(topology: "1>0,2>0,3>2") { sandbox in
            let ports = sandbox.instances.map(\.port)
            try await withDiscovery { discovery, store in
                try await discovery.discover(localKey(ports[3]))
                let found = try await expectEventually(timeout: .seconds(30)) {
                    let all = await discovery.registry.allInstances()
                    return all.count == 4 && all.allSatisfy { $0.isLastCheckValid && $0.clusterName == localKey(ports[0]).description }
                }
                try #require(found)
                let registry = discovery.registry
                let master = try #require(await registry.instance(localKey(ports[0])))
                #expect(!master.isReplica)
                #expect(!master.readOnly)
                #expect(master.replicationDepth == 0)
                #expect(Set(master.replicas) == [localKey(ports[1]), localKey(ports[2])])
                #expect(master.isMariaDB)
                #expect(master.dataCenter == "dc-test")
                // DetectPromotionRuleQuery: a known rule is taken, an unknown answer keeps neutral.
                for instance in await registry.allInstances() {
                    #expect(instance.promotionRule == (instance.serverID % 2 == 0 ? .preferNot : .neutral), "\(instance.key)")
                }
                #expect(await registry.alias(ofCluster: master.clusterName) == "sandbox")
                for (index, masterIndex, depth) in [(1, 0, 1), (2, 0, 1), (3, 2, 2)] {
                    let replica = try #require(await registry.instance(localKey(ports[index])))
                    #expect(replica.masterKey == localKey(ports[masterIndex]), "instance \(index)")
                    #expect(replica.replicationDepth == depth, "instance \(index)")
                    #expect(replica.readOnly, "instance \(index)")
                    #expect(replica.isReplicationRunning, "instance \(index)")
                    #expect(replica.usingMariaDBGTID, "instance \(index)")
                    #expect(replica.secondsBehindMaster == 0, "instance \(index)")
                    #expect(replica.gtidSlavePos == master.gtidBinlogPos, "instance \(index)")
                }
                let middle = try #require(await registry.instance(localKey(ports[2])))
                #expect(middle.replicas == [localKey(ports[3])])
                await discovery.flush()
                let stored = try await store.allInstances()
                #expect(stored.count == 4)
            }
        }
    }

    @Test func positionsAdvanceAfterAWrite() async throws {
        try await Self.positionsAdvanceAfterAWriteScenario()
    }

    static func positionsAdvanceAfterAWriteScenario() async throws {
        try await withSandbox(topology: "1>0") { sandbox in
            let ports = sandbox.instances.map(\.port)
            try await withDiscovery { discovery, _ in
                try await discovery.discover(localKey(ports[0]))
                let ready = try await expectEventually { await discovery.registry.allInstances().count == 2 }
                try #require(ready)
                let before = try #require(await discovery.registry.instance(localKey(ports[0])))
                let connection = try await sandbox.connect(0)
                _ = try await connection.execute("CREATE DATABASE IF NOT EXISTS bench")
                _ = try await connection.execute("CREATE TABLE IF NOT EXISTS bench.t (id INT PRIMARY KEY)")
                _ = try await connection.execute("INSERT INTO bench.t VALUES (1)")
                await connection.close()
                let registry = discovery.registry
                let masterKey = localKey(ports[0])
                let replicaKey = localKey(ports[1])
                let oldPosition = before.gtidBinlogPos
                let oldOffset = before.selfBinlogCoordinates.logPos
                let advanced = try await expectEventually(timeout: .seconds(30)) {
                    await Self.hasAdvanced(registry, master: masterKey, replica: replicaKey, from: oldPosition, offset: oldOffset)
                }
                try #require(advanced)
                let master = try #require(await discovery.registry.instance(localKey(ports[0])))
                let position = try MariaDBGTIDPosition(parsing: master.gtidBinlogPos)
                let old = try MariaDBGTIDPosition(parsing: before.gtidBinlogPos)
                #expect(position.contains(old) && !old.contains(position))
            }
        }
    }

    static func hasAdvanced(_ registry: InstanceRegistry, master: InstanceKey, replica: InstanceKey, from position: String, offset: Int64) async -> Bool {
        guard let master = await registry.instance(master), let replica = await registry.instance(replica) else { return false }
        return master.gtidBinlogPos != position && master.selfBinlogCoordinates.logPos > offset && replica.gtidSlavePos == master.gtidBinlogPos
    }

    @Test func killedReplicaIsUnreachableNotForgottenThenHealthyAgain() async throws {
        try await Self.killedReplicaIsUnreachableNotForgottenThenHealthyAgainScenario()
    }

    static func killedReplicaIsUnreachableNotForgottenThenHealthyAgainScenario() async throws {
        try await withSandbox(topology: "1>0,2>0") { sandbox in
            let ports = sandbox.instances.map(\.port)
            try await withDiscovery { discovery, _ in
                try await discovery.discover(localKey(ports[0]))
                let ready = try await expectEventually { await discovery.registry.allInstances().count == 3 }
                try #require(ready)
                try sandbox.kill(1)
                let unreachable = try await expectEventually(timeout: .seconds(30)) {
                    guard let replica = await discovery.registry.instance(localKey(ports[1])) else { return false }
                    return !replica.isLastCheckValid && !replica.lastProbeError.isEmpty
                }
                try #require(unreachable)
                let kept = try #require(await discovery.registry.instance(localKey(ports[1])))
                #expect(kept.masterKey == localKey(ports[0]), "last known facts are kept")
                #expect(kept.version.contains("MariaDB"))
                #expect(await discovery.registry.allInstances().count == 3)
                try await sandbox.start(1)
                let healthy = try await expectEventually(timeout: .seconds(30)) {
                    guard let replica = await discovery.registry.instance(localKey(ports[1])) else { return false }
                    return replica.isLastCheckValid && replica.isReplicationRunning
                }
                try #require(healthy)
            }
        }
    }
}
