import APIModels
import Foundation
import Hummingbird
import Store
import Topology

/// Pools (`api.md` §7.13): `submit-pool-instances/:pool?instances=h1:p1,h2:p2` replaces a pool's
/// membership; `cluster-pool-instances/…` lists a cluster's pooled keys; the heuristic routes
/// give the pooled instances fit to serve and their largest lag. An empty trailing pool (the
/// client sends `…/HINT/`) means every pool.
struct PoolRoutes {
    let api: APIContext

    func register(on routes: RouterGroup<APIRequestContext>) {
        routes.api("submit-pool-instances/:pool") { request, context throws(APIFailure) in
            let pool = try context.parameters.text("pool")
            guard !pool.isEmpty else { throw .badRequest("missing pool name") }
            let keys = try Self.instanceKeys(String(request.uri.queryParameters.get("instances") ?? ""))
            do throws(StoreError) {
                try await api.store.replacePool(pool, with: keys, at: api.clock.now)
            } catch {
                throw .internalError(error.description)
            }
            await api.audit("submit-pool-instances", nil, "pool \(pool): \(keys.map(\.description).joined(separator: ","))")
            return JSONResponse.ok("Applied \(pool) pool instances", details: .string(pool))
        }
        for path in ["cluster-pool-instances/:clusterName", "cluster-pool-instances/:clusterName/:pool"] {
            routes.api(RouterPath(path)) { _, context throws(APIFailure) in
                let (cluster, instances, pools, pool) = try await selection(context, hinted: false)
                let selected = PoolSelection.clusterPools(instances, pools: pools, pool: pool)
                return JSONResponse.ok(
                    "Read pool instances for cluster \(cluster)",
                    details: .object(selected.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map(\.json))) })
                )
            }
        }
        for path in ["heuristic-cluster-pool-instances/:clusterName", "heuristic-cluster-pool-instances/:clusterName/:pool"] {
            routes.api(RouterPath(path)) { _, context throws(APIFailure) in
                let (cluster, instances, pools, pool) = try await selection(context, hinted: true)
                return JSONResponse.ok(
                    "Heuristic pool instances for cluster \(cluster)",
                    details: api.json(PoolSelection.heuristicInstances(instances, pools: pools, pool: pool))
                )
            }
        }
        for path in ["heuristic-cluster-pool-lag/:clusterName", "heuristic-cluster-pool-lag/:clusterName/:pool"] {
            routes.api(RouterPath(path)) { _, context throws(APIFailure) in
                let (cluster, instances, pools, pool) = try await selection(context, hinted: true)
                return JSONResponse.ok(
                    "Heuristic pool lag for cluster \(cluster)",
                    details: .int(PoolSelection.heuristicLag(instances, pools: pools, pool: pool))
                )
            }
        }
    }

    /// `h1:p1,h2:p2` as keys; a malformed one is named. Empty text empties the pool.
    static func instanceKeys(_ text: String) throws(APIFailure) -> [InstanceKey] {
        var keys: [InstanceKey] = []
        for part in text.split(separator: ",") {
            let item = part.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !item.isEmpty else { continue }
            do {
                keys.append(try InstanceKey(parsing: item))
            } catch {
                throw .badRequest("Invalid instance in instances=\(text): \(error)")
            }
        }
        return keys
    }

    /// The cluster (by hint, or verbatim name as orchestrator takes it for
    /// `cluster-pool-instances`), its instances, every pool, and the pool asked for.
    private func selection(_ context: APIRequestContext, hinted: Bool) async throws(APIFailure) -> (String, [Instance], [String: [InstanceKey]], String?) {
        let given = try context.parameters.text("clusterName")
        let cluster: String
        if hinted {
            cluster = try await api.clusterName(hint: given)
        } else {
            guard await api.registry.clusterNames().contains(given) else { throw .notFound("Unknown cluster: \(given)") }
            cluster = given
        }
        let pool = context.parameters.optionalText("pool").flatMap { $0.isEmpty ? nil : $0 }
        let pools: [String: [InstanceKey]]
        do throws(StoreError) {
            pools = try await api.store.pools()
        } catch {
            throw .internalError(error.description)
        }
        return (cluster, await api.registry.instances(inCluster: cluster), pools, pool)
    }
}
