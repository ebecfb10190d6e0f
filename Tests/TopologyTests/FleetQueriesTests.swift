import Testing
import Topology

/// `search` and `cluster-osc-replicas` on plain values.
struct FleetQueriesTests {
    static func instance(_ port: Int, master: Int?, depth: Int, replicas: [Int] = []) -> Instance {
        var instance = Instance(key: InstanceKey(hostname: "db-\(port).example", port: port))
        instance.version = "10.11.6-MariaDB-log"
        instance.serverID = Int64(port * 10)
        instance.clusterName = "db-1.example:1"
        instance.suggestedClusterAlias = "shop"
        instance.replicationDepth = depth
        if let master { instance.masterKey = InstanceKey(hostname: "db-\(master).example", port: master) }
        instance.replicas = replicas.map { InstanceKey(hostname: "db-\($0).example", port: $0) }
        return instance
    }

    @Test(arguments: [
        ("db-2.example", true), ("MariaDB", true), ("shop", true), ("db-2.example:2", true), ("20", true), ("2", true),
        ("", true), ("  ", true), ("mysql", false), ("3", false),
    ])
    func search(text: String, matches: Bool) {
        #expect(InstanceSearch.matches(Self.instance(2, master: 1, depth: 1), text: text) == matches, "\(text)")
    }

    @Test func oscReplicasPickBusyIntermediateMastersTheirReplicasDeepAndLeafReplicas() {
        let cluster = [
            Self.instance(1, master: nil, depth: 0, replicas: [2, 3, 4, 5]),
            Self.instance(2, master: 1, depth: 1, replicas: [6, 7, 8]),
            Self.instance(3, master: 1, depth: 1, replicas: [9]),
            Self.instance(4, master: 1, depth: 1),
            Self.instance(5, master: 1, depth: 1),
            Self.instance(6, master: 2, depth: 2, replicas: [10]),
            Self.instance(7, master: 2, depth: 2),
            Self.instance(8, master: 2, depth: 2),
            Self.instance(9, master: 3, depth: 2),
            Self.instance(10, master: 6, depth: 3),
        ]
        #expect(OSCReplicaChoice.choose(in: cluster).map(\.key.port) == [2, 3, 6, 7, 9, 10, 4, 5])
    }
}
