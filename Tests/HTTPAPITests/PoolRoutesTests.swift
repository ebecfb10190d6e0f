import APIModels
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Testing
import Topology

/// Pools, hostname unresolve and topology snapshots over the plain-value registry.
struct PoolRoutesTests {
    let routes = RoutesTests()

    func ports(_ value: JSONValue?) -> [Int] {
        (value?.arrayValue ?? []).compactMap { ($0["Key"] ?? $0)["Port"]?.intValue }.map(Int.init)
    }

    @Test func submittedPoolsAreReadPerClusterAndHeuristically() async throws {
        try await routes.withApp(prepare: { registry, _ in
            var lagging = RoutesTests.instance(3308, master: 3307)
            lagging.replicationLagSeconds = 7
            await registry.recordSuccess(lagging, at: RoutesTests.now, startedAt: RoutesTests.now.addingTimeInterval(1))
        }) { client in
            try await client.execute(uri: "/api/submit-pool-instances/web?instances=db:3306,db:3307%0A", method: .get) { response in
                #expect(response.status == .ok)
                #expect(routes.json(response)["Message"]?.stringValue == "Applied web pool instances")
                #expect(routes.json(response)["Details"] == .string("web"))
            }
            try await client.execute(uri: "/api/submit-pool-instances/batch?instances=db:3308", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/cluster-pool-instances/db:3306", method: .get) { response in
                let details = routes.json(response)["Details"]
                #expect(ports(details?["web"]) == [3306, 3307])
                #expect(ports(details?["batch"]) == [3308])
            }
            try await client.execute(uri: "/api/cluster-pool-instances/db:3306/web", method: .get) { response in
                #expect(routes.json(response)["Details"]?["batch"] == nil)
            }
            // The client's form: a cluster hint (here the alias) and an empty pool.
            try await client.execute(uri: "/api/heuristic-cluster-pool-instances/shop/", method: .get) { response in
                #expect(routes.json(response)["Message"]?.stringValue == "Heuristic pool instances for cluster db:3306")
                #expect(ports(routes.json(response)["Details"]) == [3306, 3307, 3308])
            }
            try await client.execute(uri: "/api/heuristic-cluster-pool-lag/shop", method: .get) { response in
                #expect(routes.json(response)["Details"]?.intValue == 7)
            }
            try await client.execute(uri: "/api/heuristic-cluster-pool-lag/shop/web", method: .get) { response in
                #expect(routes.json(response)["Details"]?.intValue == 0)
            }
            // A resubmission replaces the membership.
            try await client.execute(uri: "/api/submit-pool-instances/web?instances=db:3307", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/cluster-pool-instances/db:3306/web", method: .get) { response in
                #expect(ports(routes.json(response)["Details"]?["web"]) == [3307])
            }
        }
    }

    @Test func badPoolRequestsChangeNothing() async throws {
        try await routes.withApp(prepare: { _, store in
            try await store.replacePool("web", with: [InstanceKey(hostname: "db", port: 3306)], at: Date())
        }) { client in
            try await client.execute(uri: "/api/submit-pool-instances/web?instances=db:3307,db:notaport", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(routes.json(response)["Code"] == .string("ERROR"))
                #expect(routes.json(response)["Message"]?.stringValue?.contains("db:notaport") == true)
            }
            try await client.execute(uri: "/api/cluster-pool-instances/db:3306/web", method: .get) { response in
                #expect(ports(routes.json(response)["Details"]?["web"]) == [3306], "the pool is as it was")
            }
            try await client.execute(uri: "/api/cluster-pool-instances/nowhere:1", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/heuristic-cluster-pool-instances/nowhere", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func hostnameUnresolveIsStoredAndUsed() async throws {
        let holder = EngineHolder()
        try await routes.withApp(prepare: { _, store in await holder.set(store) }) { client in
            try await client.execute(uri: "/api/register-hostname-unresolve/db2/3306/vip-shop.example", method: .get) { response in
                #expect(response.status == .ok)
                #expect(routes.json(response)["Message"]?.stringValue == "Hostname register unresolve completed")
                #expect(routes.json(response)["Details"]?["Hostname"] == .string("db2"))
            }
            let store = try #require(await holder.store)
            #expect(try await store.hostnameUnresolves() == ["db2": "vip-shop.example"])
            try await client.execute(uri: "/api/register-hostname-unresolve/db2/3306/vip';DROP", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            #expect(try await store.hostnameUnresolves() == ["db2": "vip-shop.example"], "a refused name changes nothing")
            // One name, one host; and never the name of a known server.
            try await client.execute(uri: "/api/register-hostname-unresolve/db3/3306/vip-shop.example", method: .get) { response in
                #expect(response.status == .conflict)
                #expect(routes.json(response)["Message"]?.stringValue?.contains("already the unresolved name of db2") == true)
            }
            try await client.execute(uri: "/api/register-hostname-unresolve/db2/3306/db", method: .get) { response in
                #expect(response.status == .conflict)
            }
            try await client.execute(uri: "/api/deregister-hostname-unresolve/db2/3306", method: .get) { response in
                #expect(response.status == .ok)
                #expect(routes.json(response)["Message"]?.stringValue == "Hostname deregister unresolve completed")
            }
            #expect(try await store.hostnameUnresolves() == [:])
            try await client.execute(uri: "/api/deregister-hostname-unresolve/db2/3306", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/register-hostname-unresolve/db2/x/vip", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func snapshotTopologiesRecordsWhoReplicatesFromWhom() async throws {
        let holder = EngineHolder()
        try await routes.withApp(prepare: { _, store in await holder.set(store) }) { client in
            try await client.execute(uri: "/api/snapshot-topologies", method: .get) { response in
                #expect(response.status == .ok)
                #expect(routes.json(response)["Message"]?.stringValue == "Topology Snapshot completed")
                #expect(routes.json(response)["Details"]?.stringValue?.hasPrefix("Took ") == true)
            }
            let rows = try await #require(await holder.store).topologySnapshots()
            #expect(rows.map(\.key.port) == [3306, 3307, 3308])
            #expect(rows.map(\.master.port) == [0, 3306, 3307])
        }
    }
}

/// Hands the test's store out of `prepare`.
actor EngineHolder {
    var store: SQLiteStore?
    func set(_ store: SQLiteStore) { self.store = store }
}
