import Engine
import Foundation
import Testing
import Topology

/// After a failover the alias names the promoted master's cluster, and only that cluster.
struct ClusterAliasTests {
    static func instance(_ port: Int, master: Int?, alias: String = "shop") -> Instance {
        var instance = Instance(key: InstanceKey(hostname: "db", port: port))
        instance.version = "10.11.14-MariaDB-log"
        instance.suggestedClusterAlias = alias
        if let master { instance.masterKey = InstanceKey(hostname: "db", port: master) }
        return instance
    }

    @Test func theAliasFollowsThePromotedMasterAndLeavesTheFailedOne() async throws {
        let registry = InstanceRegistry()
        let now = Date()
        await registry.recordSuccess(Self.instance(1, master: nil), at: now)
        await registry.recordSuccess(Self.instance(2, master: 1), at: now)
        #expect(await registry.cluster(byAlias: "shop") == "db:1")

        // Failover: db:2 no longer replicates; the dead db:1 still suggests "shop".
        await registry.recordSuccess(Self.instance(2, master: nil), at: now.addingTimeInterval(1))
        await registry.moveAlias("shop", from: "db:1", to: "db:2")
        #expect(await registry.cluster(byAlias: "shop") == "db:2")
        #expect(await registry.alias(ofCluster: "db:1") == "db:1", "the failed master's leftover cluster no longer claims it")
        #expect(await registry.clusterAliases() == ["db:1": "db:1", "db:2": "shop"])
        #expect(try await registry.resolveClusterHint("shop") == "db:2")
    }

    @Test func aManualAliasMovesAndTheOldClusterFallsBackToItsName() async {
        let registry = InstanceRegistry()
        let now = Date()
        await registry.recordSuccess(Self.instance(1, master: nil, alias: ""), at: now)
        await registry.recordSuccess(Self.instance(2, master: nil, alias: ""), at: now)
        await registry.setAliasOverride("billing", forCluster: "db:1")
        await registry.moveAlias("billing", from: "db:1", to: "db:2")
        #expect(await registry.alias(ofCluster: "db:1") == "db:1")
        #expect(await registry.alias(ofCluster: "db:2") == "billing")
    }

    @Test func anOverrideOnAClusterNameThatNoLongerExistsClaimsNothing() async {
        let registry = InstanceRegistry()
        let now = Date()
        await registry.recordSuccess(Self.instance(1, master: nil), at: now)
        await registry.recordSuccess(Self.instance(2, master: 1), at: now)
        await registry.moveAlias("shop", from: "db:0", to: "db:1")
        // A switchover outside a recovery (take-master): db:2 is now the master, db:1 its replica.
        await registry.recordSuccess(Self.instance(2, master: nil), at: now.addingTimeInterval(1))
        await registry.recordSuccess(Self.instance(1, master: 2), at: now.addingTimeInterval(1))
        #expect(await registry.clusterNames() == ["db:2"])
        #expect(await registry.alias(ofCluster: "db:2") == "shop", "the new master's suggested alias, unclaimed by the vanished db:1")
        #expect(await registry.cluster(byAlias: "shop") == "db:2")
    }
}
