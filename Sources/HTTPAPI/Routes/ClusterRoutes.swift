import APIModels
import Foundation
import Hummingbird
import Store
import Topology

/// Cluster reads and the topology text: `clusters`, `clusters-info`, `cluster/...`,
/// `cluster-info/...`, `topology/...`, `topology-tabulated/...`, `topology-tags/...`, `set-cluster-alias`.
struct ClusterRoutes {
    let api: APIContext

    func register(on routes: RouterGroup<APIRequestContext>) {
        routes.api("clusters") { _, _ throws(APIFailure) in
            JSONResponse.make(.array(await api.registry.clusterNames().map { .string($0) }))
        }
        routes.api("clusters-info") { _, _ throws(APIFailure) in
            var infos: [JSONValue] = []
            for name in await api.registry.clusterNames() { infos.append(await api.clusterInfo(name).json) }
            return JSONResponse.make(.array(infos))
        }
        routes.api("cluster/alias/:clusterAlias") { _, context throws(APIFailure) in
            let cluster = try await clusterByAlias(context.parameters.text("clusterAlias"))
            return JSONResponse.make(api.json(await api.registry.instances(inCluster: cluster)))
        }
        routes.api("cluster/instance/:host/:port") { _, context throws(APIFailure) in
            let instance = try await api.knownInstance(context.parameters.instanceKey())
            return JSONResponse.make(api.json(await api.registry.instances(inCluster: instance.clusterName)))
        }
        routes.api("cluster/:clusterHint") { _, context throws(APIFailure) in
            let cluster = try await api.clusterName(hint: context.parameters.text("clusterHint"))
            return JSONResponse.make(api.json(await api.registry.instances(inCluster: cluster)))
        }
        routes.api("cluster-info/alias/:clusterAlias") { _, context throws(APIFailure) in
            let cluster = try await clusterByAlias(context.parameters.text("clusterAlias"))
            return JSONResponse.make(await api.clusterInfo(cluster).json)
        }
        routes.api("cluster-info/:clusterHint") { _, context throws(APIFailure) in
            let cluster = try await api.clusterName(hint: context.parameters.text("clusterHint"))
            return JSONResponse.make(await api.clusterInfo(cluster).json)
        }
        for (route, style) in [("topology", TopologyTextStyle.plain), ("topology-tabulated", .tabulated), ("topology-tags", .withTags)] {
            // The one-segment form carries a cluster hint; the router needs the same parameter
            // name as the two-segment `:host/:port` form at that position.
            routes.api(RouterPath("\(route)/:host")) { _, context throws(APIFailure) in
                try await topology(hint: context.parameters.text("host"), style: style)
            }
            routes.api(RouterPath("\(route)/:host/:port")) { _, context throws(APIFailure) in
                let instance = try await api.knownInstance(context.parameters.instanceKey())
                return try await topology(hint: instance.clusterName, style: style)
            }
        }
        routes.api("set-cluster-alias/:clusterName") { request, context throws(APIFailure) in
            let cluster = try context.parameters.text("clusterName")
            let alias = (request.uri.queryParameters.get("alias") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard await api.registry.clusterNames().contains(cluster) else { throw .notFound("Unknown cluster: \(cluster)") }
            do {
                try await api.store.setClusterAlias(alias, forCluster: cluster)
            } catch {
                throw .internalError("Cannot store alias for \(cluster): \(error)")
            }
            await api.registry.setAliasOverride(alias, forCluster: cluster)
            return JSONResponse.ok("Cluster \(cluster) now has alias '\(alias)'")
        }
    }

    private func clusterByAlias(_ alias: String) async throws(APIFailure) -> String {
        guard let cluster = await api.registry.cluster(byAlias: alias) else { throw .notFound("No cluster found for alias \(alias)") }
        return cluster
    }

    /// The three renderings of `topology-text.md`.
    private enum TopologyTextStyle {
        case plain, tabulated, withTags
    }

    private func topology(hint: String, style: TopologyTextStyle) async throws(APIFailure) -> Response {
        let cluster = try await api.clusterName(hint: hint)
        let instances = await api.registry.instances(inCluster: cluster)
        let printer = TopologyTreePrinter(description: InstanceStatusDescription(
            pollSeconds: api.settings.pollSeconds,
            reasonableMaintenanceReplicationLagSeconds: api.settings.reasonableMaintenanceReplicationLagSeconds
        ))
        let now = api.clock.now
        let text: String
        switch style {
        case .plain: text = printer.render(instances, now: now)
        case .tabulated: text = printer.renderTabulated(instances, now: now)
        case .withTags:
            do throws(StoreError) {
                text = printer.renderWithTags(instances, tags: try await api.store.allTags(), now: now)
            } catch {
                throw .internalError(error.description)
            }
        }
        return JSONResponse.ok("Topology for cluster \(cluster)", details: .string(text))
    }
}
