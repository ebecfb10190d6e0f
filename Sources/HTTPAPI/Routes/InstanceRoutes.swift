import APIModels
import Engine
import Foundation
import Hummingbird
import Store
import Topology

/// Discovery and instance reads: `discover`, `async-discover`, `refresh`, `forget`, `instance`,
/// `instance-replicas`, `all-instances`, `problems`, `masters`, `master`.
struct InstanceRoutes {
    let api: APIContext

    func register(on routes: RouterGroup<APIRequestContext>) {
        routes.api("discover/:host/:port") { _, context throws(APIFailure) in
            let key = try context.parameters.instanceKey()
            let instance = try await discover(key)
            await audit("discover", key, "Instance discovered: \(key)")
            return JSONResponse.ok("Instance discovered: \(key)", details: InstanceJSON.encode(instance, context: api.jsonContext(freshlyProbed: true)))
        }
        routes.api("async-discover/:host/:port") { _, context throws(APIFailure) in
            let key = try context.parameters.instanceKey()
            api.discovery.discoverInBackground(key)
            return JSONResponse.ok("Asynchronous discovery initiated for Instance: \(key)")
        }
        routes.api("refresh/:host/:port") { _, context throws(APIFailure) in
            let key = try await api.knownInstance(context.parameters.instanceKey()).key
            _ = try await discover(key)
            return JSONResponse.ok("Instance refreshed: \(key)", details: key.json)
        }
        routes.api("forget/:host/:port") { _, context throws(APIFailure) in
            let key = try await api.knownInstance(context.parameters.instanceKey()).key
            do {
                _ = try await api.discovery.forget(key)
            } catch {
                throw .internalError("Cannot forget \(key): \(error)")
            }
            await audit("forget", key, "Instance forgotten: \(key)")
            return JSONResponse.ok("Instance forgotten: \(key)", details: key.json)
        }
        routes.api("instance/:host/:port") { _, context throws(APIFailure) in
            let instance = try await api.knownInstance(context.parameters.instanceKey())
            return JSONResponse.make(InstanceJSON.encode(instance, context: api.jsonContext()))
        }
        routes.api("instance-replicas/:host/:port") { _, context throws(APIFailure) in
            let master = try await api.knownInstance(context.parameters.instanceKey())
            let replicas = await api.registry.allInstances().filter { $0.masterKey == master.key }
            return JSONResponse.make(api.json(replicas))
        }
        routes.api("all-instances") { _, _ throws(APIFailure) in
            let all = await api.registry.allInstances().sorted(by: Self.allInstancesOrder)
            return JSONResponse.make(api.json(all))
        }
        routes.api("problems") { _, _ throws(APIFailure) in
            JSONResponse.make(api.json(await problems(in: nil)))
        }
        routes.api("problems/:clusterName") { _, context throws(APIFailure) in
            JSONResponse.make(api.json(await problems(in: try context.parameters.text("clusterName"))))
        }
        routes.api("masters") { _, _ throws(APIFailure) in
            var masters: [Instance] = []
            for name in await api.registry.clusterNames() {
                if let master = await api.registry.masterInstance(ofCluster: name), !master.readOnly { masters.append(master) }
            }
            return JSONResponse.make(api.json(masters))
        }
        routes.api("master/:clusterHint") { _, context throws(APIFailure) in
            let cluster = try await api.clusterName(hint: context.parameters.text("clusterHint"))
            guard let master = await api.registry.masterInstance(ofCluster: cluster) else {
                throw .notFound("No masters found for \(cluster)")
            }
            return JSONResponse.make(InstanceJSON.encode(master, context: api.jsonContext()))
        }
    }

    private func discover(_ key: InstanceKey) async throws(APIFailure) -> Instance {
        do {
            return try await api.discovery.discover(key)
        } catch {
            // No MySQL server answers at that address: 404, as for an instance we do not know,
            // naming what failed. Not a 5xx: nothing is wrong with the orchestrator service.
            throw APIFailure(.notFound, "Cannot read instance: \(key): \(error.description)")
        }
    }

    private func problems(in cluster: String?) async -> [Instance] {
        let now = api.clock.now
        return await api.registry.allInstances().filter { instance in
            (cluster == nil || instance.clusterName == cluster) && !instance.isDowntimed
                && !instance.problems(now: now, pollSeconds: api.settings.pollSeconds,
                                      reasonableReplicationLagSeconds: api.settings.reasonableReplicationLagSeconds).isEmpty
        }
    }

    private func audit(_ type: String, _ key: InstanceKey, _ message: String) async {
        await api.audit(type, key, message)
    }

    /// orchestrator's order: depth ascending, more replicas first, cluster, host, port.
    static func allInstancesOrder(_ a: Instance, _ b: Instance) -> Bool {
        if a.replicationDepth != b.replicationDepth { return a.replicationDepth < b.replicationDepth }
        if a.replicas.count != b.replicas.count { return a.replicas.count > b.replicas.count }
        if a.clusterName != b.clusterName { return a.clusterName < b.clusterName }
        return a.key < b.key
    }
}
