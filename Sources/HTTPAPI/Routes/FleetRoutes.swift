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
                await api.audit("forget", instance.key, "Instance forgotten with cluster \(cluster)")
            }
            return JSONResponse.ok("Cluster forgotten: \(cluster)")
        }
        routes.api("snapshot-topologies") { _, _ throws(APIFailure) in
            let started = ContinuousClock.now
            do throws(StoreError) {
                try await api.store.snapshotTopology(await api.registry.allInstances(), at: api.clock.now)
            } catch {
                throw APIFailure(.internalServerError, "Cannot snapshot the topologies: \(error)", details: .string("Took \(Self.goDuration(ContinuousClock.now - started))"))
            }
            return JSONResponse.ok("Topology Snapshot completed", details: .string("Took \(Self.goDuration(ContinuousClock.now - started))"))
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

    /// A duration as Go prints one (`8.5ms`, `1.2s`, `350µs`).
    static func goDuration(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        func trimmed(_ value: Double) -> String {
            var text = String(format: "%.3f", value)
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
            return text
        }
        if seconds >= 1 { return trimmed(seconds) + "s" }
        if seconds >= 0.001 { return trimmed(seconds * 1000) + "ms" }
        return trimmed(seconds * 1_000_000) + "µs"
    }
}
