import APIModels
import Engine
import Foundation
import Hummingbird
import Store
import Topology

/// Reads and actions over many instances: `search`, `search/:searchString`,
/// `forget-cluster/:clusterHint`, `cluster-osc-replicas/:clusterHint` (and `cluster-osc-slaves`).
struct FleetRoutes {
    let api: APIContext

    func register(on routes: RouterGroup<APIRequestContext>) {
        routes.api("search") { request, _ throws(APIFailure) in
            try await search(String(request.uri.queryParameters.get("s") ?? ""))
        }
        routes.api("search/:searchString") { _, context throws(APIFailure) in
            try await search(context.parameters.text("searchString"))
        }
        routes.api("forget-cluster/:clusterHint") { _, context throws(APIFailure) in
            let cluster = try await api.clusterName(hint: context.parameters.text("clusterHint"))
            for instance in await api.registry.instances(inCluster: cluster) {
                do {
                    _ = try await api.discovery.forget(instance.key)
                } catch {
                    throw .internalError("Cannot forget \(instance.key) of cluster \(cluster): \(error)")
                }
                do {
                    _ = try await api.store.appendAudit(AuditEntry(timestamp: Date(), type: "forget", instanceKey: instance.key, message: "Instance forgotten with cluster \(cluster)"))
                } catch {
                    // The instance is forgotten either way; a missing audit row is not worth failing the answer.
                }
            }
            return JSONResponse.ok("Cluster forgotten: \(cluster)")
        }
        for path in ["cluster-osc-replicas", "cluster-osc-slaves"] {
            routes.api("\(path)/:clusterHint") { _, context throws(APIFailure) in
                let cluster = try await api.clusterName(hint: context.parameters.text("clusterHint"))
                return JSONResponse.make(api.json(OSCReplicaChoice.choose(in: await api.registry.instances(inCluster: cluster))))
            }
        }
    }

    private func search(_ text: String) async throws(APIFailure) -> Response {
        let found = await api.registry.allInstances().filter { InstanceSearch.matches($0, text: text) }
        return JSONResponse.make(api.json(found.sorted { ($0.replicationDepth, $1.replicas.count, $0.clusterName, $0.key) < ($1.replicationDepth, $0.replicas.count, $1.clusterName, $1.key) }))
    }
}
