import APIModels
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Testing
import Topology

struct AnalysisRoutesTests {
    let routes = RoutesTests()

    @Test func healthyTopologyHasNoAnalysisEntries() async throws {
        try await routes.withApp { client in
            try await client.execute(uri: "/api/replication-analysis", method: .get) { response in
                #expect(response.status == .ok)
                let body = routes.json(response)
                #expect(body["Code"]?.stringValue == "OK")
                #expect(body["Message"]?.stringValue == "Analysis")
                #expect(body["Details"] == .array([]))
            }
        }
    }

    @Test func masterUnreachableWhileReplicasReplicateIsUnreachableMaster() async throws {
        let master = InstanceKey(hostname: "db", port: 3306)
        try await routes.withApp(prepare: { registry, _ in
            await registry.recordFailure(master, error: "connection refused", partialSuccess: false, at: RoutesTests.now.addingTimeInterval(1))
        }) { client in
            for uri in ["/api/replication-analysis", "/api/replication-analysis/shop", "/api/replication-analysis/instance/db/3306"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok)
                    let entries = routes.json(response)["Details"]?.arrayValue ?? []
                    #expect(entries.count == 1, "\(uri)")
                    #expect(entries.first?["Analysis"]?.stringValue == "UnreachableMaster")
                    #expect(entries.first?["AnalyzedInstanceKey"]?["Port"]?.intValue == 3306)
                    #expect(entries.first?["ClusterDetails"]?["ClusterAlias"]?.stringValue == "shop")
                    #expect(entries.first?["CountValidReplicatingReplicas"]?.intValue == 1)
                    #expect(entries.first?["ProcessingNodeHostname"]?.stringValue == "test")
                }
            }
        }
    }

    @Test func unknownClusterIs404() async throws {
        try await routes.withApp { client in
            try await client.execute(uri: "/api/replication-analysis/nosuch", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(routes.json(response)["Code"]?.stringValue == "ERROR")
            }
        }
    }

    @Test func failureDetectionsAreListedNewestFirst() async throws {
        try await routes.withApp(prepare: { _, store in
            for (port, code) in [(3306, "DeadMaster"), (3307, "DeadIntermediateMaster")] {
                _ = try await store.registerFailureDetection(FailureDetection(
                    key: InstanceKey(hostname: "db", port: port), analysis: code, clusterName: "db:3306", clusterAlias: "shop",
                    countReplicas: 1, replicas: [InstanceKey(hostname: "db", port: port + 1)], isActionable: true,
                    startActivePeriod: RoutesTests.now, processingNodeHostname: "node-1", processingNodeToken: "tok"
                ))
            }
        }) { client in
            try await client.execute(uri: "/api/audit-failure-detection", method: .get) { response in
                let rows = routes.json(response).arrayValue ?? []
                #expect(rows.map { $0["AnalysisEntry"]?["Analysis"]?.stringValue } == ["DeadIntermediateMaster", "DeadMaster"])
                #expect(rows.first?["Id"]?.intValue == 2)
                #expect(rows.first?["IsActive"]?.boolValue == true)
                #expect(rows.first?["ProcessingNodeHostname"]?.stringValue == "node-1")
                #expect(rows.first?["AnalysisEntry"]?["Replicas"]?.arrayValue?.count == 1)
                #expect(rows.first?["SuccessorKey"] == .null)
            }
            try await client.execute(uri: "/api/audit-failure-detection/id/1", method: .get) { response in
                #expect(routes.json(response).arrayValue?.first?["AnalysisEntry"]?["Analysis"]?.stringValue == "DeadMaster")
            }
            try await client.execute(uri: "/api/audit-failure-detection/alias/shop/1", method: .get) { response in
                #expect(routes.json(response) == .array([]))
            }
            try await client.execute(uri: "/api/audit-failure-detection/x", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
