import APIModels
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// search, forget-cluster, cluster-osc-replicas, the single node's raft answers, and the
/// host:port forms of the takeover routes' cluster part.
struct FleetRoutesTests {
    let routes = RoutesTests()

    func ports(_ value: JSONValue) -> [Int] {
        (value.arrayValue ?? []).compactMap { $0["Key"]?["Port"]?.intValue }.map(Int.init)
    }

    @Test func searchByTextOrQuery() async throws {
        try await routes.withApp { client in
            try await client.execute(uri: "/api/search/3307", method: .get) { response in
                #expect(ports(routes.json(response)) == [3307])
            }
            try await client.execute(uri: "/api/search?s=db%0A", method: .get) { response in
                #expect(Set(ports(routes.json(response))) == [3306, 3307, 3308])
            }
            try await client.execute(uri: "/api/search/nothing-like-it", method: .get) { response in
                #expect(routes.json(response) == .array([]))
            }
        }
    }

    @Test func forgetClusterForgetsEveryInstance() async throws {
        try await routes.withApp { client in
            try await client.execute(uri: "/api/forget-cluster/db:3306", method: .get) { response in
                #expect(response.status == .ok)
                #expect(routes.json(response)["Message"]?.stringValue == "Cluster forgotten: db:3306")
            }
            try await client.execute(uri: "/api/all-instances", method: .get) { response in
                #expect(routes.json(response) == .array([]))
            }
            try await client.execute(uri: "/api/forget-cluster/nowhere", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func oscReplicasAndRaftAnswers() async throws {
        try await routes.withApp { client in
            try await client.execute(uri: "/api/cluster-osc-slaves/db:3306", method: .get) { response in
                #expect(ports(routes.json(response)) == [3307, 3308])
            }
            for (uri, body) in [("/api/raft-state", "Leader"), ("/api/raft-health", "healthy"), ("/api/raft-leader", "test")] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(routes.json(response) == .string(body), "\(uri)")
                }
            }
            try await client.execute(uri: "/api/raft-yield/other", method: .get) { response in
                #expect(response.status == .conflict)
            }
        }
    }

    @Test(arguments: [
        "/api/force-master-failover/nowhere/1", "/api/force-master-takeover/nowhere/1/db/3307",
        "/api/graceful-master-takeover/nowhere/1", "/api/graceful-master-takeover-auto/nowhere/1/db/3307",
    ])
    func hostPortFormsResolveTheCluster(uri: String) async throws {
        try await routes.withApp { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .notFound, "\(uri)")
                let message = routes.json(response)["Message"]?.stringValue ?? ""
                #expect(message.contains("nowhere:1"), "\(uri): \(message)")
            }
        }
    }
}
